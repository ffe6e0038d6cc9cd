namespace TurnoDigital.Core.Common;

/// <summary>Where a visit began.</summary>
public enum Channel { Kiosk, WhatsApp, Web, InPerson, Api }
