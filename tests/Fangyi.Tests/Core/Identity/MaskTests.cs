using Fangyi.Core.Identity;
using Fangyi.Core.Status;
using Fangyi.Features.Residents;
using Fangyi.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Fangyi.Tests.Identity;

public class MaskTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("李", "李")]
    [InlineData("张三", "张*")]
    [InlineData("张三丰", "张*丰")]
    [InlineData("欧阳修远", "欧**远")]
    [InlineData("𠀀明", "𠀀*")]
    [InlineData("王𠀀", "王*")]
    [InlineData("𠮷𠀀𠮷", "𠮷*𠮷")]
    public void TheDoor_AndTheRegistry_ShowOneMaskOfAName(string name, string masked)
    {
        var keys = KeyRing.OpenOrCreate(Path.Combine(TestStore.TempFolder(), "keys.json"));
        using var index = new StatusIndex(keys, new FakeTimeProvider());
        var number = IdNumber.Make(130922, new DateOnly(1980, 1, 1), 1);
        index.Person(new PersonRecord(1, keys.Active.Id, keys.Hash(DocTypes.ResidentId, number), null, name, DocTypes.ResidentId, IdNumber.Mask(number)));

        Assert.Equal(masked, Masks.Name(name));
        Assert.Equal(masked, ResidentRules.MaskName(name));
        Assert.Equal(masked, index.Read(index.FindByResident(1)).MaskedName);
    }

    [Theory]
    [InlineData(130922)]
    [InlineData(110101)]
    [InlineData(650102)]
    public void AResidentIdMask_PackedForTheIndex_UnpacksToTheSameMask(int region)
    {
        var checks = new HashSet<char>();
        for (var sequence = 1; sequence <= 300; sequence++)
        {
            var mask = Masks.Number(IdNumber.Make(region, new DateOnly(1980, 5, 17), sequence));
            checks.Add(mask[^1]);

            Assert.True(Masks.TryPackNumber(mask, out var packedRegion, out var tail));
            Assert.Equal(mask, Masks.Number(packedRegion, tail));
        }
        Assert.Equal(11, checks.Count);
    }

    [Theory]
    [InlineData("E12345678")]
    [InlineData("13092219800101001X")]
    public void OnlyAResidentIdMask_IsPacked(string number)
    {
        Assert.Equal(number.Length == 18, Masks.TryPackNumber(Masks.Number(number), out _, out _));
        Assert.False(Masks.TryPackNumber(number, out _, out _));
    }
}
