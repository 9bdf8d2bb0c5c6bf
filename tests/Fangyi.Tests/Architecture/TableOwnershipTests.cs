using System.Text.RegularExpressions;

namespace Fangyi.Tests.Architecture;

/// <summary>Each table has one owner, and only the owner's SQL names it (src/Fangyi/Core/Storage/Migrations/TABLES.md).</summary>
public sealed partial class TableOwnershipTests
{
    private static readonly string Source = Path.Combine(Support.Browser.RepositoryRoot(), "src", "Fangyi");
    private static readonly IReadOnlyDictionary<string, string> Owners = SqlTables.Owners(File.ReadAllText(Path.Combine(Source, "Core", "Storage", "Migrations", "TABLES.md")));

    /// <summary>The migrations written before capabilities had folders: history, never edited, read but not judged.</summary>
    private static bool IsHistory(string path) =>
        path.Contains(Path.Combine("Core", "Storage", "Migrations"), StringComparison.Ordinal)
        && int.TryParse(Path.GetFileName(path)[..4], out var number) && number <= 11;

    /// <summary>Who a source file speaks for: its capability's folder name, or Core.</summary>
    private static string? ReaderOf(string path)
    {
        var relative = Path.GetRelativePath(Source, path).Split(Path.DirectorySeparatorChar);
        return relative[0] switch
        {
            "Core" => "Core",
            "Features" => relative[1],
            _ => null,
        };
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Source, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".sql", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Fact]
    public void OnlyTheOwner_NamesATable()
    {
        var found = SourceFiles()
            .Where(f => ReaderOf(f) is not null && !IsHistory(f))
            .SelectMany(f => SqlTables.Violations(Path.GetRelativePath(Source, f).Replace('\\', '/'), ReaderOf(f)!, File.ReadAllText(f), Owners))
            .ToList();
        var known = File.ReadAllLines(Path.Combine(Support.Browser.RepositoryRoot(), "tests", "Fangyi.Tests", "Architecture", "known-violations.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal);
        var violations = found.Where(v => !known.Contains($"{v.File} {v.Table}"))
            .Select(v => $"{v.File}:{v.Line} {v.Reader} names {v.Table} (owned by {v.Owner})")
            .ToList();
        Assert.True(violations.Count == 0, "SQL naming another owner's table — ask the owner's public API instead:\n" + string.Join("\n", violations));
        var gone = known.Where(k => !found.Any(v => $"{v.File} {v.Table}" == k)).ToList();
        Assert.True(gone.Count == 0, "no longer happens, take it off known-violations.txt: " + string.Join(", ", gone));
    }

    [Fact]
    public void EveryTableCreated_HasAnOwner_AndEveryOwnedTable_IsCreated()
    {
        var created = SourceFiles().SelectMany(f => CreateTable().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        var unowned = created.Where(t => !Owners.ContainsKey(t)).ToList();
        var uncreated = Owners.Keys.Where(t => !created.Contains(t)).ToList();
        Assert.True(unowned.Count == 0, "tables nobody owns: " + string.Join(", ", unowned));
        Assert.True(uncreated.Count == 0, "owned tables no migration creates: " + string.Join(", ", uncreated));
    }

    [Fact]
    public void Migrations_AreOneHistory_InTheirOwnersFolders()
    {
        var migrations = SourceFiles().Where(f => f.EndsWith(".sql", StringComparison.Ordinal) && Path.GetFileName(Path.GetDirectoryName(f)) == "Migrations").ToList();
        // One number is one step of the history, whichever folder holds it (a dialect pair shares its number).
        var numbers = migrations.Select(f => int.Parse(Path.GetFileName(f)[..4], System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        // 0005 was never written (the history has a gap from before this rule); every number after it is taken in turn.
        var expected = Enumerable.Range(1, numbers[^1]).Where(n => n != 5).ToList();
        Assert.Equal(expected, numbers);
        Assert.All(migrations.Where(f => !IsHistory(f)), f => Assert.Equal(Path.GetFileName(f), Path.GetFileName(f).ToLowerInvariant()));
    }

    [Fact]
    public void TheChecker_FindsAForeignTable_AndNotAComment_NorAForeignKey()
    {
        var text = """
            // samples from a tube are read by the sampling capability
            var sql = "SELECT id FROM accounts WHERE id = @id";   // from residents, in a comment
            const string Ddl = "CREATE TABLE doses (resident_id BIGINT REFERENCES residents (id))";
            await batch.WriteAsync(table: "samples", rows);
            private static readonly BulkInsert<Row> Rows = new BulkInsert<Row>("tubes").Column("code", r => r.Code);
            """;
        var found = SqlTables.Violations("Vaccination/Doses.cs", "Vaccination", text, Owners).Select(v => (v.Line, v.Table)).ToList();
        Assert.Equal([(2, "accounts"), (4, "samples"), (5, "tubes")], found);
        Assert.Empty(SqlTables.Violations("Accounts/Accounts.cs", "Accounts", "SELECT id FROM accounts", Owners));
        Assert.Single(SqlTables.Violations("Sampling/Migrations/0099_x.sql", "Sampling", "UPDATE residents SET x = 1; -- FROM accounts", Owners));
    }

    [GeneratedRegex(@"CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?""?([a-z_][a-z0-9_]*)", RegexOptions.CultureInvariant)]
    private static partial Regex CreateTable();
}
