namespace Fangyi.Features.Screening;

/// <summary>
/// Once a minute: the people whose isolation just ended and whose monitoring days begin are read again by the status
/// index, so the door shows yellow for the monitoring days instead of green.
/// </summary>
public sealed class ScreeningChores(ScreeningStatus status, TimeProvider clock, ILogger<ScreeningChores> log) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var last = clock.GetUtcNow().ToUnixTimeMilliseconds();
        using var timer = new PeriodicTimer(Every, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            try
            {
                await status.RefreshEndedAsync(last, stoppingToken);
                last = now;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                log.LogWarning(error, "Screening holds that ended could not be refreshed; trying again in a minute");
            }
        }
    }
}
