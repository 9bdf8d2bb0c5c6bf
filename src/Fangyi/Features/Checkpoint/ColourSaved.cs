namespace Fangyi.Features.Checkpoint;

public sealed record ColourSaved(long ResidentId, string Colour, long Since, bool Applied);
