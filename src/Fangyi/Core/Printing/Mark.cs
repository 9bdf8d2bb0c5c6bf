namespace Fangyi.Core.Printing;

internal abstract record Mark;
