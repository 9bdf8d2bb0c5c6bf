using System.Text.RegularExpressions;
using Fangyi.Core.Pages;

namespace Fangyi.Tests.Audit;

/// <summary>The audit trail shows every action by a Chinese name, never a raw key such as resident.citizen_code.</summary>
public partial class AuditActionNamesTests
{
    // A line that writes an audit entry, or names the action it is about to write.
    [GeneratedRegex(@"audit\w*\.WriteAsync\(|\baction\s*=")]
    private static partial Regex AuditLine();

    [GeneratedRegex("\"([a-z]+(?:\\.[a-z_]+)+)\"")]
    private static partial Regex ActionKey();

    public static IReadOnlyList<string> ActionsInCode()
    {
        var src = Path.Combine(Support.Browser.RepositoryRoot(), "src");
        return Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines)
            .Where(line => AuditLine().IsMatch(line))
            .SelectMany(line => ActionKey().Matches(line).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [Fact]
    public void EveryAuditActionWrittenInCode_HasAChineseName()
    {
        var actions = ActionsInCode();
        Assert.Contains("lab.result_corrected", actions);
        Assert.Contains("resident.citizen_code", actions);
        Assert.Contains("resident.transfer_accepted", actions);
        var unnamed = actions.Where(a => ConsoleText.ActionName(a) == a).ToList();
        Assert.True(unnamed.Count == 0, "audit actions without a Chinese name in ConsoleText: " + string.Join(", ", unnamed));
        Assert.All(actions, a => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", ConsoleText.ActionName(a)));
    }

    [Fact]
    public void EveryNamedAuditAction_IsStillWritten()
    {
        var stale = ConsoleText.AuditActionKeys.Except(ActionsInCode(), StringComparer.Ordinal).ToList();
        Assert.True(stale.Count == 0, "names for audit actions no code writes: " + string.Join(", ", stale));
    }
}
