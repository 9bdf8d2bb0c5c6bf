namespace Fangyi.Features.Checkpoint;

public sealed record ArrivalSaved(long ResidentId, long From, long ArrivedAt);
