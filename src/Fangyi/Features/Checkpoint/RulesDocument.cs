namespace Fangyi.Features.Checkpoint;

// The checkpoint rules (查验规则) as data: one versioned JSON document, kept as checkpoint-rules.json in the
// data folder (edited there, or posted to POST /api/v1/checkpoint/rules), reloaded without a restart. Each check
// records the version it was judged under.
public sealed record RulesDocument
{
    public string Version { get; init; } = "";

    // An arrival counts for this many days.
    public int TravelDays { get; init; } = 14;

    public LocalColours LocalColours { get; init; } = new();

    public Dictionary<string, CategoryRule> Categories { get; init; } = [];

    // The defaults of DESIGN.md: 24 h for hospitals; 48 h for transport, large events, work and schools; 72 h for
    // hotels, malls, scenic areas, residential compounds and the rest; green only; two doses for large events.
    public static RulesDocument Defaults => new()
    {
        Version = "default-1",
        TravelDays = 14,
        Categories = new()
        {
            [PlaceCategories.Hospital] = new() { WindowHours = 24 },
            [PlaceCategories.Transport] = new() { WindowHours = 48 },
            [PlaceCategories.Event] = new() { WindowHours = 48, VaccinationRequired = true, MinDoses = 2 },
            [PlaceCategories.Workplace] = new() { WindowHours = 48 },
            [PlaceCategories.School] = new() { WindowHours = 48 },
            [PlaceCategories.Mall] = new() { WindowHours = 72 },
            [PlaceCategories.Hotel] = new() { WindowHours = 72 },
            [PlaceCategories.Scenic] = new() { WindowHours = 72 },
            [PlaceCategories.Residential] = new() { WindowHours = 72 },
            [PlaceCategories.Other] = new() { WindowHours = 72 },
        },
    };
}
