using System.Text;
using Fangyi.Core.Codes;
using Fangyi.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Fangyi.Tests.Codes;

public class SignedCodeTests
{
    private static readonly byte[] Subject = Convert.FromHexString("00112233445566778899aabbccddeeff");

    private static (SignedCodes Codes, CodeKeys Keys, FakeTimeProvider Clock) Make()
    {
        var keys = CodeKeys.OpenOrCreate(Path.Combine(TestStore.TempFolder(), "codes.json"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
        return (new SignedCodes(keys, clock), keys, clock);
    }

    [Fact]
    public void Issue_ThenVerify_GivesBackTheSubjectAndTimes()
    {
        var (codes, keys, clock) = Make();

        var text = codes.Issue(CodeKind.Citizen, Subject, TimeSpan.FromDays(365));
        var (error, claims) = codes.Verify(text);

        Assert.Equal(CodeError.None, error);
        Assert.Equal(Subject, claims!.Subject);
        Assert.Equal(CodeKind.Citizen, claims.Kind);
        Assert.Equal(keys.ActiveKeyId, claims.KeyId);
        Assert.Equal(clock.GetUtcNow().AddDays(365), claims.Expires);
        Assert.StartsWith("FY1:", text, StringComparison.Ordinal);
        Assert.Matches("^[0-9A-Z $%*+\\-./:]+$", text); // QR alphanumeric mode only
    }

    [Fact]
    public void ACodeSignedByAnotherPlatformsKey_IsRefused()
    {
        var (ours, _, _) = Make();
        var (theirs, _, _) = Make();

        Assert.Equal(CodeError.UnknownKey, ours.Verify(theirs.Issue(CodeKind.Citizen, Subject, TimeSpan.FromDays(1))).Error);
    }

    [Fact]
    public void AForgedSignatureUnderOurKeyId_IsRefused()
    {
        var (ours, keys, clock) = Make();
        // Another key file that happens to carry the same key id: the signature cannot match.
        var path = Path.Combine(TestStore.TempFolder(), "codes.json");
        var forgerKeys = CodeKeys.OpenOrCreate(path);
        File.WriteAllText(path, File.ReadAllText(path).Replace(forgerKeys.ActiveKeyId, keys.ActiveKeyId, StringComparison.Ordinal));
        var forger = new SignedCodes(CodeKeys.OpenOrCreate(path), clock);

        Assert.Equal(CodeError.Signature, ours.Verify(forger.Issue(CodeKind.Citizen, Subject, TimeSpan.FromDays(1))).Error);
    }

    [Fact]
    public void ATruncatedCode_IsRefused()
    {
        var (codes, _, _) = Make();
        var text = codes.Issue(CodeKind.Citizen, Subject, TimeSpan.FromDays(1));

        Assert.Equal(CodeError.Format, codes.Verify(text[..^3]).Error);
        Assert.Equal(CodeError.Format, codes.Verify(text[..20]).Error);
        Assert.Equal(CodeError.Format, codes.Verify("FY1:").Error);
        Assert.Equal(CodeError.Format, codes.Verify("130922198507150012").Error);
    }

    [Fact]
    public void ACodeAlteredByOneCharacter_IsRefusedWhereverTheChangeIs()
    {
        var (codes, _, _) = Make();
        var text = codes.Issue(CodeKind.Citizen, Subject, TimeSpan.FromDays(1));

        for (var i = 4; i < text.Length; i++)
        {
            var altered = new StringBuilder(text) { [i] = text[i] == 'A' ? 'B' : 'A' }.ToString();
            var (error, _) = codes.Verify(altered);
            Assert.NotEqual(CodeError.None, error);
        }
    }

    [Fact]
    public void AnExpiredCode_IsRefusedEvenIfSeenBefore()
    {
        var (codes, _, clock) = Make();
        var text = codes.Issue(CodeKind.Pass, Subject, TimeSpan.FromHours(1));
        Assert.Equal(CodeError.None, codes.Verify(text).Error);

        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(CodeError.Expired, codes.Verify(text).Error);
    }

    [Fact]
    public void RetiringAKey_InvalidatesTheCodesItSigned_RotatingDoesNot()
    {
        var (codes, keys, _) = Make();
        var first = codes.Issue(CodeKind.Citizen, Subject, TimeSpan.FromDays(1));
        var firstKey = keys.ActiveKeyId;

        keys.Rotate();
        var second = codes.Issue(CodeKind.Citizen, Subject, TimeSpan.FromDays(1));
        Assert.Equal(CodeError.None, codes.Verify(first).Error);
        Assert.Equal(CodeError.None, codes.Verify(second).Error);

        keys.Retire(firstKey);
        Assert.Equal(CodeError.KeyRetired, codes.Verify(first).Error);
        Assert.Equal(CodeError.None, codes.Verify(second).Error);
    }

    [Fact]
    public void ARevokedCode_IsRefused()
    {
        var keys = CodeKeys.OpenOrCreate(Path.Combine(TestStore.TempFolder(), "codes.json"));
        var codes = new SignedCodes(keys, TimeProvider.System, new RevokeAll());

        Assert.Equal(CodeError.Revoked, codes.Verify(codes.Issue(CodeKind.Citizen, Subject, TimeSpan.FromDays(1))).Error);
    }

    private sealed class RevokeAll : ICodeRevocations
    {
        public bool IsRevoked(CodeClaims claims) => true;
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("AB", "BB8")]
    [InlineData("Hello!!", "%69 VD92EX0")]
    [InlineData("base-45", "UJCLQE7W581")]
    [InlineData("ietf!", "QED8WEX0")]
    public void Base45_MatchesTheRfcExamples(string plain, string encoded)
    {
        Assert.Equal(encoded, Base45.Encode(Encoding.ASCII.GetBytes(plain)));
        Assert.Equal(plain, Encoding.ASCII.GetString(Base45.TryDecode(encoded)!));
    }

    [Theory]
    [InlineData("GGW")]   // 65535 + 1: over two bytes
    [InlineData("ZZZ")]
    [InlineData("A")]     // a lone character
    [InlineData("ab")]    // lower case is not in the alphabet
    public void Base45_RefusesWhatIsNotBase45(string text) => Assert.Null(Base45.TryDecode(text));
}
