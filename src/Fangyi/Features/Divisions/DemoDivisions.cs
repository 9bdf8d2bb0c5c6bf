namespace Fangyi.Features.Divisions;

/// <summary>The divisions the demo city (serve --demo) is built around: Cangzhou, 青县, and a township and a village in it.</summary>
public static class DemoDivisions
{
    public const long Cangzhou = 130900000000;
    public const long Qingxian = 130922000000;      // 青县
    public const long Qingzhou = 130922100000;      // 青县清州镇
    public const long Simazhuang = 130922100238;    // 清州镇司马庄村

    /// <summary>石家庄市藁城区: the demo's high-risk area, where one demo resident arrived from.</summary>
    public const long Gaocheng = 130109000000;
}
