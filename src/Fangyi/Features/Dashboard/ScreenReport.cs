using System.Globalization;
using Fangyi.Core.Counters;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Residents;
using Fangyi.Features.Sampling;
using static Fangyi.Features.Sampling.SamplingCounters;

namespace Fangyi.Features.Dashboard;

// The round's report for one day and division, as the command centre files it: per child division coverage,
// samples that day, results and backlog; then custody and turnaround. The printable page, the PDF and the XLSX
// export all come from this one model, read off the counters.
public sealed record ScreenReport(string Title, string Subtitle, DateOnly Date, IReadOnlyList<string> Columns, IReadOnlyList<ReportRow> Rows,
    IReadOnlyList<(string Label, string Value)> Facts)
{
    public static readonly string[] ColumnNames = ["区划", "实有人口", "已采人数", "覆盖率", "当日采样人次", "累计采样人次", "已出结果(人)", "阳性", "混管阳性", "检测积压(人)"];

    private static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);

    public static ScreenReport Build(ScreenViews views, RoundInfo round, long division, Scope scope, DateOnly date)
    {
        var view = views.Build(round, division, scope);
        var series = views.Counters.Layout.FindSeries(PerTenMinutes);
        var dayStart = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), ChinaTime).ToUnixTimeMilliseconds();
        long SamplesOn(long code)
        {
            if (series is null)
            {
                return 0;
            }
            var (from, values) = views.Counters.Board.ReadSeries(Period.Round(round.Id), code, series);
            long sum = 0;
            for (var i = 0; i < values.Length; i++)
            {
                var at = (from + i) * series.Width;
                if (at >= dayStart && at < dayStart + 86_400_000)
                {
                    sum += values[i];
                }
            }
            return sum;
        }
        ReportRow Row(ScreenNode node, bool total) => new(total ? "合计：" + node.Place.Name : node.Place.Name,
        [
            Whole(node.Numbers, ResidentCounters.Residents), Whole(node.Numbers, People), Percent(node.Numbers),
            SamplesOn(node.Place.Code).ToString("N0", CultureInfo.InvariantCulture), Whole(node.Numbers, Samples),
            Sum(node.Numbers, ResultNegative, ResultPositive, ResultMixedPositive, ResultInvalid),
            Whole(node.Numbers, ResultPositive), Whole(node.Numbers, ResultMixedPositive), Whole(node.Numbers, LabBacklogPeople),
        ], total);
        var rows = view.Children.Select(c => Row(c, false)).Append(Row(view.Here, true)).ToList();
        var n = view.Here.Numbers;
        var facts = new List<(string, string)>
        {
            ("试管", string.Join("　", TubeStates.Names.Select(s => $"{s.Value} {Whole(n, TubesPrefix + s.Key)}"))),
            ("转运箱", string.Join("　", BoxStates.Names.Select(s => $"{s.Value} {Whole(n, BoxesPrefix + s.Key)}"))),
            ("送检用时（封管→接收）", Spread(n, ToLab)),
            ("检测用时（接收→出结果）", Spread(n, InLab)),
            ("全程用时（封管→出结果）", Spread(n, Total)),
        };
        var printed = DateTimeOffset.UtcNow.ToOffset(ChinaTime).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return new ScreenReport($"{views.Tree.PathName(division)} 核酸采样日报", $"{round.Name}　{date:yyyy年M月d日}　生成于 {printed}",
            date, ColumnNames, rows, facts);
    }

    public static string Whole(IReadOnlyDictionary<string, double> numbers, string name) =>
        numbers.TryGetValue(name, out var value) ? value.ToString("N0", CultureInfo.InvariantCulture) : "—";

    private static string Sum(IReadOnlyDictionary<string, double> numbers, params string[] names) =>
        names.All(numbers.ContainsKey) ? names.Sum(n => numbers[n]).ToString("N0", CultureInfo.InvariantCulture) : "—";

    public static string Percent(IReadOnlyDictionary<string, double> numbers) =>
        numbers.TryGetValue(People, out var people) && numbers.TryGetValue(ResidentCounters.Residents, out var residents) && residents > 0
            ? (100 * people / residents).ToString("F1", CultureInfo.InvariantCulture) + "%"
            : "—";

    private static string Spread(IReadOnlyDictionary<string, double> numbers, string histogram) =>
        numbers.TryGetValue(histogram + ".p50", out var p50) && numbers.TryGetValue(histogram + ".p90", out var p90)
            ? $"中位 {p50:F0} 分钟，90% 在 {p90:F0} 分钟内（{numbers[histogram + ".count"]:N0} 管）"
            : "暂无";
}
