using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;

namespace Fangyi.Features.Citizens;

/// <summary>What a resident whose latest result is not negative does next, and whom to call.</summary>
public sealed record NextStep(string State, string Text, string Call);

// The words per state come from configuration, per county: Fangyi:NextSteps:{county's 12-digit code}:{state}, then
// Fangyi:NextSteps:default:{state}, then the text below; "call" the same way. Read on each request, so an edited
// setting shows without a restart.
public sealed class NextSteps(IConfiguration configuration, DivisionDirectory divisions)
{
    public const string Section = "Fangyi:NextSteps";

    // Missing or broken on its way to the lab: no result, the person is sampled again.
    public const string Resample = "resample";

    public const string CallKey = "call";

    public static readonly IReadOnlyDictionary<string, string> Texts = new Dictionary<string, string>
    {
        [SampleResults.MixedPositive] = "您所在的混管检测结果为阳性，这不代表您本人阳性。请留在家中、暂不外出，网格员会通知您做单管复核采样；复核结果出来之前请不要参加聚集活动。",
        [SampleResults.Positive] = "您的核酸检测结果为阳性。请立即留在家中，不要外出，不要乘坐公共交通；疾控人员会尽快与您联系并安排后续检测和转运，同住人员也请留在家中。",
        [SampleResults.Invalid] = "您的样本无效，没有得出结果。请尽快到就近的采样点重新采样，网格员也会通知您。",
        [Resample] = "您的样本在送检途中缺失或破损，没有检测。请尽快到就近的采样点重新采样，网格员也会通知您。",
    };

    public const string DefaultCall = "所在村（社区）网格员，或当地政务服务热线 12345";

    public static readonly IReadOnlyList<string> States = [SampleResults.MixedPositive, SampleResults.Positive, SampleResults.Invalid, Resample];

    /// <summary>The next step for a result in a resident's division; null for a negative or a result still to come.</summary>
    public NextStep? For(string? state, long division)
    {
        if (state is null || !Texts.ContainsKey(state))
        {
            return null;
        }
        var county = divisions.Tree.Path(division).FirstOrDefault(d => d.Level == DivisionLevel.County)?.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new NextStep(state, Setting(county, state) ?? Texts[state], Setting(county, CallKey) ?? DefaultCall);
    }

    private string? Setting(string? county, string key) =>
        (county is null ? null : Text($"{Section}:{county}:{key}")) ?? Text($"{Section}:default:{key}");

    private string? Text(string path) => configuration[path] is { Length: > 0 } text ? text.Trim() : null;
}
