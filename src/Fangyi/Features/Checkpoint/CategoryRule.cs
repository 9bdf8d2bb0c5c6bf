namespace Fangyi.Features.Checkpoint;

// One category's rule as written in the rules file.
public sealed record CategoryRule
{
    // How old (by sampling time) a negative result may be; null: no nucleic-acid result is asked for.
    public int? WindowHours { get; init; }

    public IReadOnlyList<string> AllowedColours { get; init; } = ["green"];

    public bool VaccinationRequired { get; init; }

    // Doses that count as vaccinated when vaccination is required.
    public int MinDoses { get; init; }

    // Whether an arrival from a medium/high-risk area within the travel days stops entry.
    public bool RiskAreaCheck { get; init; } = true;
}
