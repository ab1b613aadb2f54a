; Inno Setup script for the Windows installer (the CI runs: iscc /DVersion=X build-aux\yanyana.iss).
; It installs the one-folder bundle from dist\yanyana, a Start menu entry for the window and "Open with".
#ifndef Version
  #define Version "0.1.0"
#endif

[Setup]
AppId={{6F0B8A52-3C1E-4E0F-9B5E-1B7C9C2B5A11}
AppName=Yanyana
AppVersion={#Version}
AppPublisher=Yanyana developers
DefaultDirName={autopf}\Yanyana
DefaultGroupName=Yanyana
OutputDir=..\dist
OutputBaseFilename=yanyana-{#Version}-windows-setup
SetupIconFile=..\build\icons\yanyana.ico
Compression=lzma2/max
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes

[Files]
Source: "..\dist\yanyana\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\Yanyana"; Filename: "{app}\yanyana-window.exe"
Name: "{autodesktop}\Yanyana"; Filename: "{app}\yanyana-window.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Registry]
Root: HKA; Subkey: "Software\Classes\Applications\yanyana-window.exe\shell\open\command"; ValueType: string; ValueData: """{app}\yanyana-window.exe"" ""%1"""; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\.txt\OpenWithProgids"; ValueType: string; ValueName: "Yanyana.Document"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.md\OpenWithProgids"; ValueType: string; ValueName: "Yanyana.Document"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.html\OpenWithProgids"; ValueType: string; ValueName: "Yanyana.Document"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.htm\OpenWithProgids"; ValueType: string; ValueName: "Yanyana.Document"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.docx\OpenWithProgids"; ValueType: string; ValueName: "Yanyana.Document"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.odt\OpenWithProgids"; ValueType: string; ValueName: "Yanyana.Document"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.epub\OpenWithProgids"; ValueType: string; ValueName: "Yanyana.Document"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.mhtml\OpenWithProgids"; ValueType: string; ValueName: "Yanyana.Document"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.mht\OpenWithProgids"; ValueType: string; ValueName: "Yanyana.Document"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.pdf\OpenWithProgids"; ValueType: string; ValueName: "Yanyana.Document"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Yanyana.Document"; ValueType: string; ValueData: "Article for Yanyana"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Yanyana.Document\shell\open\command"; ValueType: string; ValueData: """{app}\yanyana-window.exe"" ""%1"""

[Run]
Filename: "{app}\yanyana-window.exe"; Description: "Start Yanyana"; Flags: nowait postinstall skipifsilent
