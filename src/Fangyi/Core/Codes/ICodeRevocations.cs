namespace Fangyi.Core.Codes;

/// <summary>The list of revoked codes, kept by the feature that issues them.</summary>
public interface ICodeRevocations
{
    bool IsRevoked(CodeClaims claims);
}
