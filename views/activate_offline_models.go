package views

// ActivateOfflineData is the form that binds a license to a computer typed in
// by its serial number, for releases that read license files.
type ActivateOfflineData struct {
	License LicenseRowData
	Serial  string
	CSRF    string
	Flash   FlashData
}
