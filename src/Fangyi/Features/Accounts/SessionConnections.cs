using System.Collections.Concurrent;
using System.Security.Claims;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.SignalR;

namespace Fangyi.Features.Accounts;

/// <summary>
/// The live hub connections of each session, so that a session that ends on this host closes its screens at once.
/// Sessions ended on another host are found by <see cref="SessionSweep"/>, which re-checks every connection.
/// </summary>
public sealed class SessionConnections
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _byConnection = new(StringComparer.Ordinal);

    public int Count => _byConnection.Count;

    public void Add(HubCallerContext context) => _byConnection[context.ConnectionId] = context;

    public void Remove(HubCallerContext context) => _byConnection.TryRemove(context.ConnectionId, out _);

    public IEnumerable<HubCallerContext> All => _byConnection.Values;

    public void EndSession(string sessionId) => Abort(user => user.FindFirstValue(FangyiClaims.Session) == sessionId);

    public void EndAccount(long accountId) => Abort(user => user.AccountId() == accountId);

    private void Abort(Func<ClaimsPrincipal, bool> ended)
    {
        foreach (var context in _byConnection.Values)
        {
            if (context.User is { } user && ended(user))
            {
                context.Abort();
            }
        }
    }
}
