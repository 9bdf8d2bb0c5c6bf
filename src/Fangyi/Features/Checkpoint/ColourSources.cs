namespace Fangyi.Features.Checkpoint;

// Where the colour a door acts on came from (ColourFact.Source): the provincial feed, a local result that made it
// worse, a running hold, or the colour a scanned health code showed.
public static class ColourSources
{
    public const string Feed = "feed";
    public const string NucleicAcid = "nucleic_acid";
    public const string Hold = "hold";
    public const string HealthCode = "health_code";
}
