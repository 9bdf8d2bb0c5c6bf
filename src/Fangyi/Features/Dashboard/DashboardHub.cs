using Fangyi.Core.Storage;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Sampling;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Fangyi.Features.Dashboard;

// The big screen's live channel. A screen watches one round and one division; it gets that view at once and,
// from then on, at most once a second, the numbers that changed in the division and its children. Jurisdiction
// is checked here as on the pages: a screen can only watch inside its account's own division.
[Authorize(Policy = DashboardSetup.Policy)]
public sealed class DashboardHub(ScreenWatchers watchers, ScreenViews views, Store store, Accounts.SessionConnections sessions) : Hub
{
    public const string Path = "/hubs/dashboard";
    public const string DeltaMethod = "delta";

    public async Task<ScreenView> Watch(long roundId, long? division)
    {
        var scope = Context.User!.Scope();
        var code = division ?? scope.Root;
        if (!scope.Contains(code) || views.Tree.Find(code) is null)
        {
            throw new HubException(Core.Http.Problems.OutsideJurisdiction.Title);
        }
        if (await SamplingApi.FindRoundAsync(store, roundId, Context.ConnectionAborted) is not { } round || !SamplingApi.Concerns(round, scope))
        {
            throw new HubException(SamplingProblems.RoundUnknown.Title);
        }
        var previous = watchers.Watch(Context.ConnectionId, new Watched(roundId, code));
        if (previous is { } old && old != new Watched(roundId, code))
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, old.Group, Context.ConnectionAborted);
        }
        // Joined before the view is read, so any change after the read reaches this screen in a later delta.
        await Groups.AddToGroupAsync(Context.ConnectionId, ScreenWatchers.GroupOf(roundId, code), Context.ConnectionAborted);
        return views.Build(ScreenViews.InfoOf(round), code, scope);
    }

    // Tracked so that a screen whose session ends (sign-out, disabled account) is closed, not left streaming.
    public override Task OnConnectedAsync()
    {
        sessions.Add(Context);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context);
        watchers.Leave(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
