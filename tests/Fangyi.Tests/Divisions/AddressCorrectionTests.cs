using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Divisions;

namespace Fangyi.Tests.Divisions;

// Hand-written addresses (big-data pushes, public tips) with a homophone or a one-character slip in a township or village
// name, all real names of 青县 (130922).
public sealed class AddressCorrectionTests
{
    private const long Qingxian = 130922000000;
    private const long QingzhouTown = 130922100000;
    private const long SimaZhuang = 130922100238;       // 清州镇司马庄村
    private const long NieMaZhuang = 130922100215;      // 清州镇乜马庄村
    private const long ChenKuiZhuang = 130922100202;    // 清州镇陈奎庄村
    private const long XiaoLianZhuang = 130922101229;   // 金牛镇孝廉庄村
    private const long QianWangYing = 130922100235;     // 清州镇前王营村
    private const long XiWangYing = 130922106217;       // 盘古镇西王营村
    private const long DongWangYing = 130922106223;     // 盘古镇东王营村
    private const long MaZhuang = 130922102226;         // 新兴镇马庄村
    private const long SimaZhuangRenqiu = 130982109216; // 任丘市 has a 司马庄 too

    private static readonly Lazy<AddressMatcher> Matcher = new(() => new AddressMatcher(new DivisionTree(DivisionImport.Shipped())));

    [Fact]
    public void Resolve_CorrectsAHomophoneInAVillageName()
    {
        var match = Matcher.Value.Resolve("沧州市青县清州镇思马庄3排5号");

        Assert.Equal(AddressMatchStatus.Matched, match.Status);
        Assert.Equal(SimaZhuang, match.Code);
        Assert.Equal(DivisionLevel.Village, match.Level);
        Assert.Equal("3排5号", match.Remainder);
        Assert.Equal(new AddressCorrection("思马庄", "司马庄村", SimaZhuang, AddressCorrectionKind.Homophone), Assert.Single(match.Corrections));
    }

    [Fact]
    public void Resolve_CorrectsAHomophoneInATownshipName()
    {
        var township = Matcher.Value.Resolve("青县青州镇某某路8号");
        var both = Matcher.Value.Resolve("青县青州镇陈魁庄村3排5号");

        Assert.Equal(AddressMatchStatus.Matched, township.Status);
        Assert.Equal(QingzhouTown, township.Code);
        Assert.Equal(DivisionLevel.Township, township.Level);
        Assert.Equal("某某路8号", township.Remainder);
        Assert.Equal(new AddressCorrection("青州镇", "清州镇", QingzhouTown, AddressCorrectionKind.Homophone), Assert.Single(township.Corrections));
        Assert.Equal(AddressMatchStatus.Matched, both.Status);
        Assert.Equal(ChenKuiZhuang, both.Code);
        Assert.Equal("3排5号", both.Remainder);
        Assert.Equal(["青州镇→清州镇", "陈魁庄村→陈奎庄村"], both.Corrections.Select(c => $"{c.Written}→{c.Name}"));
    }

    [Fact]
    public void Resolve_CorrectsADroppedCharacter()
    {
        var match = Matcher.Value.Resolve("青县金牛镇孝庄村12号");

        Assert.Equal(AddressMatchStatus.Matched, match.Status);
        Assert.Equal(XiaoLianZhuang, match.Code);
        Assert.Equal("12号", match.Remainder);
        Assert.Equal(new AddressCorrection("孝庄村", "孝廉庄村", XiaoLianZhuang, AddressCorrectionKind.Slip), Assert.Single(match.Corrections));
    }

    [Fact]
    public void Resolve_CorrectsAnExtraCharacter()
    {
        var match = Matcher.Value.Resolve("青县清州镇陈奎家庄村");

        Assert.Equal(AddressMatchStatus.Matched, match.Status);
        Assert.Equal(ChenKuiZhuang, match.Code);
        Assert.Equal(AddressCorrectionKind.Slip, Assert.Single(match.Corrections).Kind);
    }

    [Fact]
    public void Resolve_CorrectsASubstitutedCharacter()
    {
        var match = Matcher.Value.Resolve("青县金牛镇孝廉营村");

        Assert.Equal(AddressMatchStatus.Matched, match.Status);
        Assert.Equal(XiaoLianZhuang, match.Code);
        Assert.Equal(new AddressCorrection("孝廉营村", "孝廉庄村", XiaoLianZhuang, AddressCorrectionKind.Slip), Assert.Single(match.Corrections));
    }

    [Fact]
    public void Resolve_CorrectsAVillageWrittenStraightAfterItsCounty()
    {
        var match = Matcher.Value.Resolve("青县陈魁庄村");

        Assert.Equal(AddressMatchStatus.Matched, match.Status);
        Assert.Equal(ChenKuiZhuang, match.Code);
    }

    [Fact]
    public void Resolve_IsAmbiguousWhenAVillageFoundInsideAMisspeltNameRivalsTheCorrection()
    {
        // The exact pass reads 马庄村 (新兴镇) out of 思马庄村 and leaves 思 unexplained; the corrector reads 司马庄村.
        var match = Matcher.Value.Resolve("青县思马庄村");

        Assert.Equal(AddressMatchStatus.Ambiguous, match.Status);
        Assert.Equal([SimaZhuang, MaZhuang], match.Candidates.Select(c => c.Code).Order());
        Assert.Equal(Qingxian, match.Code);
    }

    [Fact]
    public void Resolve_IsAmbiguousWhenAHomophoneAndADroppedCharacterNameTwoVillages()
    {
        // 刘园村 does not exist in 沧县's 大官厅乡: it is 刘院村 by sound and 刘园子村 with 子 dropped. Neither is the answer.
        var match = Matcher.Value.Resolve("沧县大官厅乡刘园村");

        Assert.Equal(AddressMatchStatus.Ambiguous, match.Status);
        Assert.Equal([130921210223L, 130921210232L], match.Candidates.Select(c => c.Code).Order());
    }

    [Fact]
    public void Resolve_IsAmbiguousWhenASlipIsEquallyNearTwoVillages()
    {
        // 同 sounds like neither 司 nor 乜: 同马庄 is one slip from 司马庄 and from 乜马庄, both in 清州镇.
        var match = Matcher.Value.Resolve("青县清州镇同马庄村");

        Assert.Equal(AddressMatchStatus.Ambiguous, match.Status);
        Assert.Equal([NieMaZhuang, SimaZhuang], match.Candidates.Select(c => c.Code).Order());
        Assert.Equal(QingzhouTown, match.Code);
        Assert.Equal(DivisionLevel.Township, match.Level);
        Assert.True(match.Confidence < match.Candidates[0].Confidence);
    }

    [Fact]
    public void Resolve_IsAmbiguousWhenASlipIsEquallyNearVillagesAcrossTheCounty()
    {
        var match = Matcher.Value.Resolve("青县中王营村");

        Assert.Equal(AddressMatchStatus.Ambiguous, match.Status);
        Assert.Equal([QianWangYing, XiWangYing, DongWangYing], match.Candidates.Select(c => c.Code).Order());
        Assert.Equal(Qingxian, match.Code);
    }

    [Fact]
    public void Resolve_IsAmbiguousWhenAVillageReadBareIsTheHeadOfAMisspeltName()
    {
        // 南皮县潞灌镇 has both 潞灌村 and 潞灌北庄村: 潞灌北装村 is not 潞灌村 followed by something else.
        var match = Matcher.Value.Resolve("沧州市南皮县潞灌镇潞灌北装村3排5号");
        var plain = Matcher.Value.Resolve("沧州市南皮县潞灌镇潞灌村3排5号");

        Assert.Equal(AddressMatchStatus.Ambiguous, match.Status);
        Assert.Equal([130927106201, 130927106209], match.Candidates.Select(c => c.Code).Order());
        Assert.Equal(AddressMatchStatus.Matched, plain.Status);
        Assert.Equal(130927106201, plain.Code);
    }

    [Fact]
    public void Resolve_PrefersAHomophoneToAnotherSlip()
    {
        // 思马庄 is a homophone of 司马庄 and a plain slip of 乜马庄: the homophone is the nearer name.
        var match = Matcher.Value.Resolve("青县清州镇思马庄村");

        Assert.Equal(AddressMatchStatus.Matched, match.Status);
        Assert.Equal(SimaZhuang, match.Code);
    }

    [Theory]
    [InlineData("青县珍庄村")]    // 珠庄, one slip off
    [InlineData("青县骂庄村")]    // 马庄, a homophone
    [InlineData("青县清州镇李庄村")]
    public void Resolve_DoesNotCorrectATwoCharacterStem(string address)
    {
        var match = Matcher.Value.Resolve(address);

        Assert.NotEqual(DivisionLevel.Village, match.Level);
        Assert.Empty(match.Corrections);
        Assert.All(match.Candidates, c => Assert.NotEqual(DivisionLevel.Village, c.Level));
    }

    [Fact]
    public void Resolve_DoesNotCorrectAcrossCounties()
    {
        // 褚家庄 is a village of 任丘市, not of 青县: the slip is not looked for outside the county written.
        var elsewhere = Matcher.Value.Resolve("青县褚加庄村");
        var inRenqiu = Matcher.Value.Resolve("任丘市思马庄村");

        Assert.Equal(AddressMatchStatus.Matched, elsewhere.Status);
        Assert.Equal(Qingxian, elsewhere.Code);
        Assert.Equal(DivisionLevel.County, elsewhere.Level);
        Assert.Empty(elsewhere.Corrections);
        Assert.Equal(SimaZhuangRenqiu, inRenqiu.Code);
    }

    [Fact]
    public void Resolve_GivesACorrectionLessConfidenceThanAnExactMatch()
    {
        var exact = Matcher.Value.Resolve("青县清州镇司马庄村");
        var homophone = Matcher.Value.Resolve("青县清州镇思马庄村");
        var slip = Matcher.Value.Resolve("青县清州镇司马家庄村");

        Assert.Empty(exact.Corrections);
        Assert.Equal(exact.Confidence * AddressCorrector.HomophoneFactor, homophone.Confidence, 6);
        Assert.Equal(SimaZhuang, slip.Code);
        Assert.Equal(exact.Confidence * AddressCorrector.SlipFactor, slip.Confidence, 6);
        Assert.True(homophone.Confidence < Matcher.Value.Resolve("青县清州镇").Confidence);
    }
}
