namespace Fangyi.Core.Modules;

/// <summary>What a capability's demo seed is given: the host's services and where to tell the operator what was made.</summary>
public sealed record DemoSeed(IServiceProvider Services, int Residents, TextWriter Banner);
