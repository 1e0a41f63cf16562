package views

// RemindPageData is the "send me my order numbers" page.
type RemindPageData struct {
	// Offered is false without mail set up: the page points to support.
	Offered bool
	Email   string
	Error   string
	// Sent is the answer to an ask, the same whatever the address.
	Sent bool
}

// MailLinkPageData is the page a mailed link opens: what its button does.
type MailLinkPageData struct {
	Title   string
	Explain string
	Button  string
	Action  string
	Token   string
	// Live is false for a link used or expired: no button, Flash says why.
	Live  bool
	Flash FlashData
	// Next is where to go from here.
	Next, NextLabel string
}

// AccountEmailPageData is the page to move one's orders to a new email.
type AccountEmailPageData struct {
	Email    string
	NewEmail string
	Error    string
	Flash    FlashData
}
