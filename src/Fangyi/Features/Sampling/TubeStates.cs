namespace Fangyi.Features.Sampling;

public static class TubeStates
{
    public const string Open = "open";
    public const string Sealed = "sealed";
    public const string Boxed = "boxed";
    public const string Received = "received";
    public const string Resulted = "resulted";
    public const string Rejected = "rejected";        // missing from its box or broken on receipt: never tested

    public static readonly IReadOnlyList<string> All = [Open, Sealed, Boxed, Received, Resulted, Rejected];

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Open] = "采样中", [Sealed] = "已封管", [Boxed] = "已装箱", [Received] = "已接收", [Resulted] = "已出结果", [Rejected] = "未检测（缺失或破损）",
    };
}
