namespace Fangyi.Features.Accounts;

// Every few seconds, closes the hub connections whose session has ended (on any host).
public sealed class SessionSweep(SessionConnections connections, AccountService accounts, TimeProvider clock) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var context in connections.All)
                {
                    try
                    {
                        if (context.User is not { } user || !await accounts.IsSessionCurrentAsync(user, stoppingToken))
                        {
                            context.Abort();
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // The store is away for a moment: the next sweep tries again; requests are checked anyway.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}
