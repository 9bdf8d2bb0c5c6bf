namespace Fangyi.Features.Residents;

// A field a resident was refused for, named as the import column and the API field.
public sealed record FieldError(string Column, string Code, string Reason);
