namespace Fangyi.Features.Screening;

/// <summary>The ingest kinds Screening claims.</summary>
public static class ScreeningKinds
{
    public const string Findings = "screening.findings";
    public const string Verify = "screening.verify";
    public const string Decide = "screening.decide";
    public const string Handover = "screening.handover";
    public const string Accept = "screening.accept";
    public const string Assign = "screening.assign";
    public const string Identify = "screening.identify";

    public static readonly IReadOnlyList<string> All = [Findings, Verify, Decide, Handover, Accept, Assign, Identify];

    /// <summary>The step each case action leaves on the case, with its Chinese name for the history and the timeline.</summary>
    public static readonly IReadOnlyDictionary<string, string> StepNames = new Dictionary<string, string>
    {
        ["entry"] = "纳入排查",
        ["verify"] = "核实",
        ["decide"] = "研判处置",
        ["handover"] = "移交他地",
        ["accept"] = "接收移交",
        ["assign"] = "分派到村",
        ["identify"] = "核实身份",
        ["merged"] = "合并重复",
        ["referred"] = "转集中隔离",
        ["checked_in"] = "入住隔离点",
        ["released"] = "解除隔离",
        ["hospital"] = "转运医院",
    };
}
