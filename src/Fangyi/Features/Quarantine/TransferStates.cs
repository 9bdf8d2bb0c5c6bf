namespace Fangyi.Features.Quarantine;

/// <summary>A person's state on a transfer order: waiting at home, picked up, not found, handed over at the site.</summary>
public static class TransferStates
{
    public const string Waiting = "waiting";
    public const string PickedUp = "picked_up";
    public const string Missed = "missed";
    public const string HandedOver = "handed_over";
    public const string Withdrawn = "withdrawn";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Waiting] = "待接",
        [PickedUp] = "已接到",
        [Missed] = "未接到",
        [HandedOver] = "已交接",
        [Withdrawn] = "已撤销",
    };
}
