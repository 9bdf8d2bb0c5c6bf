namespace Fangyi.Features.Screening;

/// <summary>How a case found its division: the registry, an address (with its confidence and any correction), a handover, or nobody yet.</summary>
public static class CaseRoute
{
    public const string Residence = "residence";
    public const string Address = "address";
    public const string Handover = "handover";
    public const string Unassigned = "unassigned";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Residence] = "按居住地",
        [Address] = "按地址",
        [Handover] = "他地移交",
        [Unassigned] = "待分派",
    };
}
