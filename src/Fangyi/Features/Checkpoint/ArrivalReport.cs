namespace Fangyi.Features.Checkpoint;

// A person arrived here from a division (来返).
public sealed record ArrivalReport(long ResidentId, long From, long ArrivedAt) : FactWrite(ResidentId);
