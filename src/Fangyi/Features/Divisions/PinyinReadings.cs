using System.Reflection;

namespace Fangyi.Features.Divisions;

// Toneless Mandarin readings of the characters in division names and of the 8,105 of 通用规范汉字表, so the address
// corrector can tell a homophone slip (思马庄 for 司马庄) from any other. The table is data/pinyin/readings.txt, made from
// Unicode's Unihan database (kMandarin, kTGHZ2013, as Debian's unicode-data ships it) by scripts/pinyin-readings.py.
public sealed class PinyinReadings
{
    private readonly Dictionary<char, int[]> _syllables;

    private PinyinReadings(Dictionary<char, int[]> syllables) => _syllables = syllables;

    public static PinyinReadings Shipped { get; } = Load();

    public int Count => _syllables.Count;

    // True when the two characters share a reading with the tone ignored; a character without one sounds like none.
    public bool SoundAlike(char a, char b)
    {
        if (a == b)
        {
            return true;
        }
        if (!_syllables.TryGetValue(a, out var first) || !_syllables.TryGetValue(b, out var second))
        {
            return false;
        }
        foreach (var s in first)
        {
            if (Array.IndexOf(second, s) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    private static PinyinReadings Load()
    {
        const string name = "pinyin/readings.txt";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded reading table {name} is missing.");
        using var reader = new StreamReader(stream);
        var lists = new Dictionary<char, List<int>>();
        var syllable = 0;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine(), syllable++)
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            foreach (var c in line.AsSpan(tab + 1))
            {
                // Characters outside the BMP (a handful of rare ones) cannot be one char of a folded address anyway.
                if (char.IsSurrogate(c))
                {
                    continue;
                }
                if (!lists.TryGetValue(c, out var list))
                {
                    lists[c] = list = new List<int>(1);
                }
                list.Add(syllable);
            }
        }
        return new PinyinReadings(lists.ToDictionary(p => p.Key, p => p.Value.ToArray()));
    }
}
