using System.Globalization;
using Fangyi.Core.Identity;

namespace Fangyi.Tests.Support;

/// <summary>Places and people of the shipped Cangzhou divisions that tests use.</summary>
public static class People
{
    public const long Cangzhou = 130900000000;
    public const long Qingxian = 130922000000;        // 青县
    public const long Qingzhou = 130922100000;        // 青县清州镇
    public const long Simazhuang = 130922100238;      // 青县清州镇司马庄村
    public const long Cangxian = 130921000000;        // 沧县
    public const long Xinhua = 130902000000;          // 新华区

    private static int _sequence;

    /// <summary>A valid resident ID number no other test uses (sequence numbers are handed out once per run).</summary>
    public static string NewId(int region = 130922, int year = 1985)
    {
        var n = Interlocked.Increment(ref _sequence);
        var birth = new DateOnly(year, 1, 1).AddDays(n / 999 % 3000);
        return IdNumber.Make(region, birth, n % 999 + 1);
    }

    public static string Code(long division) => division.ToString(CultureInfo.InvariantCulture);
}
