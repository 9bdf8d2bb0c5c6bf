namespace Fangyi.Features.Accounts;

public sealed class AccountOptions
{
    /// <summary>Failures one (account, client) pair may make before each further try must wait.</summary>
    public int FreeFailures { get; set; } = 5;

    /// <summary>The first wait after the free failures; each further failure doubles it, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Tries per minute on one account from clients that never signed in to it (spread guessing).</summary>
    public int UnknownClientTriesPerMinute { get; set; } = 30;
}
