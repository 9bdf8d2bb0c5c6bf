using Fangyi.Core.Modules;

namespace Fangyi.Features.Home;

/// <summary>The console's home page: what the signed-in account looks after, at a glance.</summary>
public sealed class HomeModule : FangyiModule
{
    public override string Name => "Home";

    public override IEnumerable<MenuItem> Menu => [new(0, 0, "首页", "/")];
}
