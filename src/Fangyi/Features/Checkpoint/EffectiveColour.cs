using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

/// <summary>The colour a door acts on, with the reason and since when.</summary>
public readonly record struct EffectiveColour(HealthColour Colour, string Reason, long Since, string Source);
