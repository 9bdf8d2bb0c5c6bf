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

/// <summary>Villages in two townships of 青县 and one of 沧县, from the shipped division file.</summary>
public static class Villages
{
    public const long Simazhuang = 130922100238;      // 青县清州镇司马庄村
    public const long Xicheng = 130922100001;         // 青县清州镇西城居委会
    public const long Xiaoniuzhuang = 130922101201;   // 青县金牛镇小牛庄村
    public const long Dongguan = 130921100201;        // 沧县东关村
}
