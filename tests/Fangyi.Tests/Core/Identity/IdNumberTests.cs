using Fangyi.Core.Identity;

namespace Fangyi.Tests.Identity;

public class IdNumberTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    // Region codes known to the test: 青县 130922 and 北京市东城区 110101.
    private static bool Known(int region) => region is 130922 or 110101;

    private static IdError Check(string text) => IdNumber.Validate(IdNumber.Normalize(text), Known, Today);

    [Theory]
    [InlineData("11010119900307803X")] // a well-known sample number with an X check character
    [InlineData("130922198507150012")]
    public void Validate_AcceptsNumbersWithTheRightCheckCharacter(string number)
    {
        // Build the expected check character independently of the code under test.
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = number.Take(17).Select((c, i) => (c - '0') * weights[i]).Sum();
        var valid = number[..17] + "10X98765432"[sum % 11];
        Assert.Equal(IdError.None, Check(valid));
    }

    [Fact]
    public void Validate_AcceptsALowerCaseXAsX()
    {
        Assert.Equal(IdError.None, Check("11010119900307803x"));
        Assert.Equal("11010119900307803X", IdNumber.Normalize(" 11010119900307803x "));
    }

    [Fact]
    public void Validate_RefusesABadCheckCharacter()
    {
        Assert.Equal(IdError.CheckCharacter, Check("110101199003078031"));
        Assert.Equal(IdError.CheckCharacter, Check("110101199003078030"));
    }

    [Theory]
    [InlineData("110101199002307833")] // 30 February
    [InlineData("110101199013017835")] // month 13
    [InlineData("110101203001017835")] // born in 2030, after today
    [InlineData("110101180001017835")] // born in 1800
    public void Validate_RefusesAnImpossibleBirthDate(string number)
    {
        var fixedUp = number[..17] + IdNumber.CheckCharacter(number);
        Assert.Equal(IdError.BirthDate, Check(fixedUp));
    }

    [Fact]
    public void Validate_RefusesAnUnknownRegion()
    {
        var number = IdNumber.Make(990101, new DateOnly(1990, 3, 7), 803);
        Assert.Equal(IdError.Region, Check(number));
    }

    [Theory]
    [InlineData("11010119900307803")]
    [InlineData("1101011990030780301")]
    [InlineData("110101900307803")] // the old 15-digit form
    public void Validate_RefusesTheWrongLength(string number) => Assert.Equal(IdError.Length, Check(number));

    [Fact]
    public void Validate_RefusesLettersInsideTheNumberAndAnEmptyNumber()
    {
        Assert.Equal(IdError.Characters, Check("1101011990030A803X"));
        Assert.Equal(IdError.Empty, Check("   "));
    }

    [Fact]
    public void Mask_KeepsRegionAndLastFourOnly()
    {
        Assert.Equal("130***********123X", IdNumber.Mask("13092219850715123X"));
        Assert.Equal("138****5678", Phone.Mask("13812345678"));
    }

    [Fact]
    public void GenderAndBirthDate_AreReadFromTheNumber()
    {
        var man = IdNumber.Make(130922, new DateOnly(1985, 7, 15), 13);
        var woman = IdNumber.Make(130922, new DateOnly(1985, 7, 15), 14);
        Assert.Equal("M", IdNumber.Gender(man));
        Assert.Equal("F", IdNumber.Gender(woman));
        Assert.Equal(new DateOnly(1985, 7, 15), IdNumber.BirthDate(man));
    }

    [Theory]
    [InlineData("E12345678", IdError.None)]
    [InlineData("H0123456789", IdError.None)]
    [InlineData("A1", IdError.DocumentFormat)]
    [InlineData("E1234 5678#", IdError.DocumentFormat)]
    public void ValidateOther_ChecksPassportsAndPermitsByShape(string number, IdError expected) =>
        Assert.Equal(expected, IdNumber.ValidateOther(IdNumber.Normalize(number)));
}
