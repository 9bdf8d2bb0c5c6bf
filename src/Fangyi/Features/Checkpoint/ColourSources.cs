namespace Fangyi.Features.Checkpoint;

// Where the colour a door acts on came from (ColourFact.Source): the provincial feed, a local result that made it
// worse, or a running hold.
public static class ColourSources
{
    public const string Feed = "feed";
    public const string NucleicAcid = "nucleic_acid";
    public const string Hold = "hold";
}
