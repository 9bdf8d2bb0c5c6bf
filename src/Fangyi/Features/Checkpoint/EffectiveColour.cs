using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

// The colour a door acts on, with the reason and since when.
public readonly record struct EffectiveColour(HealthColour Colour, string Reason, long Since, string Source);
