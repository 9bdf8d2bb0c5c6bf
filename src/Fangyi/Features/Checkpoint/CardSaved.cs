namespace Fangyi.Features.Checkpoint;

public sealed record CardSaved(long ResidentId, string CardMasked);
