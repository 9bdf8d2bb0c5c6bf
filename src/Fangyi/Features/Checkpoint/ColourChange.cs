namespace Fangyi.Features.Checkpoint;

// A colour change from the provincial feed: the colour, since when, and why.
public sealed record ColourChange(long ResidentId, string Colour, long Since, string Reason) : FactWrite(ResidentId);
