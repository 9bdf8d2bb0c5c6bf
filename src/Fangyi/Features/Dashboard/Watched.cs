using Fangyi.Core.Storage;
using System.Collections.Concurrent;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Sampling;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Fangyi.Features.Dashboard;

public readonly record struct Watched(long Round, long Division)
{
    public string Group => ScreenWatchers.GroupOf(Round, Division);
}
