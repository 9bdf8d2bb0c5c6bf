namespace Fangyi.Core.Identity;

public static class Phone
{
    /// <summary>A mainland mobile number (11 digits starting 13–19) or a landline with its area code.</summary>
    public static bool IsValid(string phone)
    {
        if (phone.Length == 11 && phone[0] == '1' && phone[1] is >= '3' and <= '9' && phone.All(char.IsAsciiDigit))
        {
            return true;
        }
        var digits = phone.Replace("-", "", StringComparison.Ordinal);
        return phone.StartsWith('0') && digits.Length is >= 10 and <= 12 && digits.All(char.IsAsciiDigit) && phone.Count(c => c == '-') <= 1;
    }

    public static string Normalize(string phone) => phone.Trim().Replace(" ", "", StringComparison.Ordinal);

    public static string Mask(string phone) => phone.Length >= 7
        ? string.Concat(phone.AsSpan(0, 3), new string('*', phone.Length - 7), phone.AsSpan(phone.Length - 4, 4))
        : new string('*', phone.Length);
}
