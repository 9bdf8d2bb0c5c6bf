namespace Fangyi.Core.Codes;

/// <summary>A code just issued: its text and its id.</summary>
public sealed record IssuedCode(string Text, string CodeId, DateTimeOffset IssuedAt, DateTimeOffset Expires);
