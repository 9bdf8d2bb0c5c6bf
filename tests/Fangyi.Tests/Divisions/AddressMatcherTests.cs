using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Divisions;

namespace Fangyi.Tests.Divisions;

public sealed class AddressMatcherTests
{
    private const long SimaZhuangQingXian = 130922100238;
    private const long SimaZhuangRenqiu = 130982109216;
    private const long QingzhouTown = 130922100000;
    private const long CangzhouCity = 130900000000;

    private static readonly Lazy<AddressMatcher> Matcher = new(() => new AddressMatcher(ShippedTree()));

    [Fact]
    public void Resolve_FindsTheVillageFromAFullAddress()
    {
        var match = Matcher.Value.Resolve("沧州市青县清州镇司马庄村3排5号");

        Assert.Equal(AddressMatchStatus.Matched, match.Status);
        Assert.Equal(SimaZhuangQingXian, match.Code);
        Assert.Equal("河北省沧州市青县清州镇司马庄村民委员会", match.Path);
        Assert.Equal(DivisionLevel.Village, match.Level);
        Assert.Equal("3排5号", match.Remainder);
        Assert.InRange(match.Confidence, 0.85, 1.0);
        Assert.Equal(SimaZhuangQingXian, Assert.Single(match.Candidates).Code);
    }

    [Fact]
    public void Resolve_FindsTheVillageWithoutProvinceOrCity()
    {
        var match = Matcher.Value.Resolve("青县清州镇司马庄村3排5号");

        Assert.Equal(AddressMatchStatus.Matched, match.Status);
        Assert.Equal(SimaZhuangQingXian, match.Code);
        Assert.Equal("3排5号", match.Remainder);
    }

    [Fact]
    public void Resolve_ListsEveryCountyWhenAVillageNameIsShared()
    {
        var match = Matcher.Value.Resolve("沧州市司马庄村");

        Assert.Equal(AddressMatchStatus.Ambiguous, match.Status);
        Assert.Equal([SimaZhuangQingXian, SimaZhuangRenqiu], match.Candidates.Select(c => c.Code).Order());
        Assert.Contains(match.Candidates, c => c.Path == "河北省沧州市青县清州镇司马庄村民委员会");
        Assert.Contains(match.Candidates, c => c.Path.StartsWith("河北省沧州市任丘市", StringComparison.Ordinal));
        Assert.Equal(CangzhouCity, match.Code);
        Assert.Equal(DivisionLevel.City, match.Level);
        Assert.True(match.Confidence < match.Candidates[0].Confidence);
    }

    [Fact]
    public void Resolve_StopsAtTheTownshipWhenNoVillageIsNamed()
    {
        var township = Matcher.Value.Resolve("沧州市青县清州镇某某路8号");
        var village = Matcher.Value.Resolve("沧州市青县清州镇司马庄村3排5号");

        Assert.Equal(AddressMatchStatus.Matched, township.Status);
        Assert.Equal(QingzhouTown, township.Code);
        Assert.Equal(DivisionLevel.Township, township.Level);
        Assert.Equal("某某路8号", township.Remainder);
        Assert.True(township.Confidence < village.Confidence);
    }

    [Fact]
    public void Resolve_IsUnmatchedWhenNoDivisionIsNamed()
    {
        var match = Matcher.Value.Resolve("火星基地1号");

        Assert.Equal(AddressMatchStatus.Unmatched, match.Status);
        Assert.Null(match.Code);
        Assert.Null(match.Path);
        Assert.Null(match.Level);
        Assert.Equal(0, match.Confidence);
        Assert.Equal("火星基地1号", match.Remainder);
        Assert.Empty(match.Candidates);
    }

    [Fact]
    public void Resolve_AcceptsTheOfficialNameOfEveryLevel()
    {
        var township = Matcher.Value.Resolve("河北省沧州市青县清州镇");
        var village = Matcher.Value.Resolve("河北省沧州市青县清州镇司马庄村民委员会");

        Assert.Equal(AddressMatchStatus.Matched, township.Status);
        Assert.Equal(QingzhouTown, township.Code);
        Assert.Equal("河北省沧州市青县清州镇", township.Path);
        Assert.Equal("", township.Remainder);
        Assert.Equal(SimaZhuangQingXian, village.Code);
        Assert.Equal(1.0, village.Confidence, 6);
    }

    [Fact]
    public void Resolve_FindsAResidentsCommitteeByItsCommunityName()
    {
        var match = Matcher.Value.Resolve("沧州市新华区建设北街街道建北社区5号楼2单元");

        Assert.Equal(AddressMatchStatus.Matched, match.Status);
        Assert.Equal(130902001001, match.Code);
        Assert.Equal("河北省沧州市新华区建设北街街道建北社区居民委员会", match.Path);
        Assert.Equal("5号楼2单元", match.Remainder);
    }

    [Fact]
    public void Resolve_IgnoresSpacesAndPunctuationBetweenNames()
    {
        var match = Matcher.Value.Resolve(" 河北省 沧州市，青县·清州镇、司马庄村  3排5号 ");

        Assert.Equal(AddressMatchStatus.Matched, match.Status);
        Assert.Equal(SimaZhuangQingXian, match.Code);
        Assert.Equal("3排5号", match.Remainder);
    }

    [Fact]
    public void Resolve_TrustsAVillageMoreWhenItsTownshipAndCountyAreNamed()
    {
        var chained = Matcher.Value.Resolve("沧州市青县清州镇陈奎庄村");
        var alone = Matcher.Value.Resolve("陈奎庄村");

        Assert.Equal(130922100202, chained.Code);
        Assert.Equal(130922100202, alone.Code);
        Assert.Equal(AddressMatchStatus.Matched, alone.Status);
        Assert.True(chained.Confidence > alone.Confidence, $"{chained.Confidence} should exceed {alone.Confidence}");
    }

    [Fact]
    public void Resolve_TreatsACommitteeWordAfterTheVillageAsPartOfItsName()
    {
        var match = Matcher.Value.Resolve("青县清州镇司马庄村委会3排5号");

        Assert.Equal(SimaZhuangQingXian, match.Code);
        Assert.Equal("3排5号", match.Remainder);
    }

    [Fact]
    public void Resolve_PrefersTheNamedCountyOverACityThatContradictsIt()
    {
        var match = Matcher.Value.Resolve("石家庄市青县清州镇司马庄村");

        Assert.Equal(AddressMatchStatus.Matched, match.Status);
        Assert.Equal(SimaZhuangQingXian, match.Code);
    }

    [Fact]
    public void Resolve_DoesNotTakeARoadNamedAfterAVillageForTheVillage()
    {
        var match = Matcher.Value.Resolve("沧州市青县清州镇司马庄路8号");

        Assert.Equal(QingzhouTown, match.Code);
        Assert.Equal("司马庄路8号", match.Remainder);
    }

    /// <summary>The divisions as shipped in the repository: Cangzhou down to villages, the rest of China down to counties.</summary>
    /// <summary>The divisions shipped inside Fangyi: Cangzhou to villages, China to counties.</summary>
    private static DivisionTree ShippedTree() => new(DivisionImport.Shipped());
}
