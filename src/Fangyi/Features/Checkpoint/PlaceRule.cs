using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

// A category's rule ready for the hot path.
public sealed record PlaceRule(string Category, int? WindowHours, int AllowedColours, int MinDoses, bool RiskAreaCheck)
{
    public long? WindowMs => WindowHours * 3_600_000L;

    public bool Allows(HealthColour colour) => (AllowedColours & (1 << (int)colour)) != 0;
}
