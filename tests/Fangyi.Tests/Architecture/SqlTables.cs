using System.Text.RegularExpressions;

namespace Fangyi.Tests.Architecture;

/// <summary>
/// Reads which tables a piece of source names in SQL, and the ownership list beside the migrations
/// (src/Fangyi/Core/Storage/Migrations/TABLES.md). Comments are left out, so prose about "samples from a tube" is
/// not a query; a foreign key (REFERENCES x) ties schemas without reading or writing x and is allowed.
/// </summary>
public static partial class SqlTables
{
    public sealed record Violation(string File, int Line, string Table, string Owner, string Reader);

    [GeneratedRegex(@"\b(?:FROM|JOIN|INTO|UPDATE|TABLE(?:\s+IF\s+(?:NOT\s+)?EXISTS)?|INDEX\s+\w+\s+ON|TRIGGER\s+\w+[^;]*?\bON|TRUNCATE|COPY)\s+(?:ONLY\s+)?""?([a-z_][a-z0-9_]*)""?", RegexOptions.CultureInvariant)]
    private static partial Regex Named();

    [GeneratedRegex(@"\btable\w*\s*[:=]\s*""([a-z_][a-z0-9_]*)""|\bBulkInsert<[^>]*>\(\s*""([a-z_][a-z0-9_]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex NamedAsArgument();

    [GeneratedRegex(@"^\|\s*(\w+)\s*\|\s*([a-z_, ]+)\|\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex OwnerRow();

    /// <summary>table → owner, from the list's table rows.</summary>
    public static IReadOnlyDictionary<string, string> Owners(string list)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match row in OwnerRow().Matches(list))
        {
            if (row.Groups[1].Value == "owner")
            {
                continue;
            }
            foreach (var table in row.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!owners.TryAdd(table, row.Groups[1].Value))
                {
                    throw new InvalidOperationException($"{table} is listed for {owners[table]} and {row.Groups[1].Value}: a table has one owner");
                }
            }
        }
        return owners;
    }

    /// <summary>The known tables a text names in SQL, with their line numbers.</summary>
    public static IEnumerable<(int Line, string Table)> Tables(string text, IReadOnlyDictionary<string, string> owners, bool sqlFile = false)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = WithoutComment(lines[i], sqlFile);
            foreach (var match in Named().Matches(line).Concat(NamedAsArgument().Matches(line)))
            {
                var table = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
                if (owners.ContainsKey(table))
                {
                    yield return (i + 1, table);
                }
            }
        }
    }

    public static IEnumerable<Violation> Violations(string file, string reader, string text, IReadOnlyDictionary<string, string> owners) =>
        Tables(text, owners, file.EndsWith(".sql", StringComparison.Ordinal)).Where(t => owners[t.Table] != reader).Select(t => new Violation(file, t.Line, t.Table, owners[t.Table], reader));

    /// <summary>A line without its comment: "//" outside a string literal (URLs in strings stay), "--" in SQL files.</summary>
    private static string WithoutComment(string line, bool sqlFile)
    {
        var trimmed = line.TrimStart();
        if (sqlFile)
        {
            var dashes = line.IndexOf("--", StringComparison.Ordinal);
            return dashes < 0 ? line : line[..dashes];
        }
        if (trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith('*') || trimmed.StartsWith("/*", StringComparison.Ordinal) || trimmed.StartsWith("@*", StringComparison.Ordinal))
        {
            return "";
        }
        var quotes = 0;
        for (var i = 0; i < line.Length - 1; i++)
        {
            if (line[i] == '"')
            {
                quotes++;
            }
            else if (quotes % 2 == 0 && line[i] == '/' && line[i + 1] == '/')
            {
                return line[..i];
            }
        }
        return line;
    }
}
