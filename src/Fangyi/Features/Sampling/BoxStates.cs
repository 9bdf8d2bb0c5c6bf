namespace Fangyi.Features.Sampling;

public static class BoxStates
{
    public const string Open = "open";                // 开箱
    public const string Sealed = "sealed";            // 已封箱
    public const string InTransit = "in_transit";     // 转运中
    public const string Received = "received";        // 已接收
    public const string Testing = "testing";          // 检测中
    public const string Done = "done";                // 检测完成: every tube has a result or was refused at receipt

    public static readonly IReadOnlyList<string> All = [Open, Sealed, InTransit, Received, Testing, Done];

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Open] = "采样中", [Sealed] = "已封箱", [InTransit] = "转运中", [Received] = "已接收", [Testing] = "检测中", [Done] = "检测完成",
    };
}
