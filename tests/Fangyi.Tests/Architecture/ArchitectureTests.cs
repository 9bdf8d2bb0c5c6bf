using System.Reflection;
using NetArchTest.Rules;

namespace Fangyi.Tests.Architecture;

/// <summary>
/// The shape docs/design.md draws: a core that depends on no capability, capabilities that reach each other only
/// through public types, and the host and command line on top that nothing else references.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly App = typeof(Fangyi.Host.FangyiHost).Assembly;

    public static IReadOnlyList<string> Capabilities { get; } = Directory.GetDirectories(Path.Combine(Support.Browser.RepositoryRoot(), "src", "Fangyi", "Features"))
        .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    public static TheoryData<string> EachCapability() => new(Capabilities);

    [Fact]
    public void Core_DependsOnNoCapability_NorOnTheHost()
    {
        var result = Types.InAssembly(App).That().ResideInNamespace("Fangyi.Core")
            .ShouldNot().HaveDependencyOnAny("Fangyi.Features", "Fangyi.Host", "Fangyi.Cli").GetResult();
        Assert.True(result.IsSuccessful, "core types that use a capability or the host: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void Capabilities_DependNeitherOnTheHost_NorOnTheCommandLine()
    {
        var result = Types.InAssembly(App).That().ResideInNamespace("Fangyi.Features")
            .ShouldNot().HaveDependencyOnAny("Fangyi.Host", "Fangyi.Cli").GetResult();
        Assert.True(result.IsSuccessful, "capability types that use the host: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Theory]
    [MemberData(nameof(EachCapability))]
    public void OtherCapabilities_UseOnlyItsPublicTypes(string capability)
    {
        var own = "Fangyi.Features." + capability;
        var hidden = Types.InAssembly(App).That().ResideInNamespace(own).And().AreNotPublic().GetTypes()
            .Where(t => t.FullName is not null && (t.Namespace == own || t.Namespace?.StartsWith(own + ".", StringComparison.Ordinal) == true))
            .Select(t => t.FullName!.Replace('+', '/')).ToArray();
        if (hidden.Length == 0)
        {
            return;
        }
        foreach (var other in Capabilities.Where(c => c != capability))
        {
            var result = Types.InAssembly(App).That().ResideInNamespace("Fangyi.Features." + other)
                .ShouldNot().HaveDependencyOnAny(hidden).GetResult();
            Assert.True(result.IsSuccessful, $"{other} uses non-public types of {capability}: " + string.Join(", ", result.FailingTypeNames ?? []));
        }
    }

    [Theory]
    [MemberData(nameof(EachCapability))]
    public void EachCapability_HasOneModule_ListedByTheHost(string capability)
    {
        var modules = App.GetTypes().Where(t => t.Namespace == "Fangyi.Features." + capability && t.IsSubclassOf(typeof(Fangyi.Core.Modules.FangyiModule))).ToList();
        var module = Assert.Single(modules);
        Assert.Equal(capability + "Module", module.Name);
        var listed = Fangyi.Host.Modules.For(new Fangyi.Host.FangyiOptions());
        Assert.Contains(listed, m => m.GetType() == module && m.Name == capability);
    }
}
