using Fangyi.Core.Storage;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

/// <summary>One category's rule as written in the rules file.</summary>
public sealed record CategoryRule
{
    /// <summary>How old (by sampling time) a negative result may be; null: no nucleic-acid result is asked for.</summary>
    public int? WindowHours { get; init; }

    public IReadOnlyList<string> AllowedColours { get; init; } = ["green"];

    public bool VaccinationRequired { get; init; }

    /// <summary>Doses that count as vaccinated when vaccination is required.</summary>
    public int MinDoses { get; init; }

    /// <summary>Whether an arrival from a medium/high-risk area within the travel days stops entry.</summary>
    public bool RiskAreaCheck { get; init; } = true;
}
