using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;

namespace Fangyi.Features.Accounts;

// Unprotecting a bearer token (decrypt, key derivation, MAC) cost about a third of a sample registration's
// server time, and a phone sends the same token all day. A token read once is remembered until it expires.
// The handler still checks the expiry, and the session check after it still ends a disabled account's session.
public sealed class RememberedTickets(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>
{
    private const int Capacity = 200_000;
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _read = new(StringComparer.Ordinal);

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (protectedText is null || purpose is not null)
        {
            return inner.Unprotect(protectedText, purpose);
        }
        if (_read.TryGetValue(protectedText, out var known) && known.Properties.ExpiresUtc > DateTimeOffset.UtcNow)
        {
            return known;
        }
        var ticket = inner.Unprotect(protectedText);
        if (ticket is not null)
        {
            if (_read.Count >= Capacity)
            {
                _read.Clear();   // a crude bound: tokens are read again on their next use
            }
            _read[protectedText] = ticket;
        }
        return ticket;
    }
}
