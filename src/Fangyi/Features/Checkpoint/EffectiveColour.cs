using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

// The colour a door acts on, with the reason, since when and (for a local hold: an isolation, a monitoring) until when.
public readonly record struct EffectiveColour(HealthColour Colour, string Reason, long Since, string Source, long Until = 0);
