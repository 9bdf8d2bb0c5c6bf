using Fangyi.Core.Http;

namespace Fangyi.Core.Codes;

/// <summary>Why a citizen code or pass was refused, as a problem with a stable code (400 on the public API).</summary>
public static class CodeProblems
{
    public static readonly ApiProblem Malformed = new("code.malformed", 400, "二维码不完整或已损坏，请重新扫描");
    public static readonly ApiProblem SignatureInvalid = new("code.signature_invalid", 400, "二维码验证失败，可能是伪造或已更换");
    public static readonly ApiProblem KeyRetired = new("code.key_retired", 400, "二维码的签名密钥已停用，请重新领取");
    public static readonly ApiProblem Expired = new("code.expired", 400, "二维码已过期，请刷新后重新出示");
    public static readonly ApiProblem NotYetValid = new("code.not_yet_valid", 400, "二维码时间异常，请核对设备时间");
    public static readonly ApiProblem Revoked = new("code.revoked", 400, "二维码已作废");
    public static readonly ApiProblem WrongKind = new("code.wrong_kind", 400, "这不是市民码，请出示正确的二维码");

    public static ApiProblem For(CodeError error) => error switch
    {
        CodeError.Signature => SignatureInvalid,
        CodeError.UnknownKey => SignatureInvalid.WithDetail("签名密钥不是本平台的"),
        CodeError.KeyRetired => KeyRetired,
        CodeError.Expired => Expired,
        CodeError.NotYetValid => NotYetValid,
        CodeError.Revoked => Revoked,
        _ => Malformed,
    };
}
