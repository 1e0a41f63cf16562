package main

// The word lists the generator draws believable customers from. Every country
// carries its own currency, legal forms, cities and names, so that an order from
// Lyon is in EUR and signed by a Marie, and one from Osaka is in JPY.

type country struct {
	code     string // ISO 3166-1 alpha-2
	currency string // ISO 4217
	weight   int    // share of customers, relative
	forms    []string
	cities   []string
	first    []string
	last     []string
	roots    []string // first word of company names
}

var countries = []country{
	{"US", "USD", 22, []string{"Inc.", "LLC", "Corp."},
		[]string{"Seattle", "Portland", "Austin", "Boston", "Chicago", "Denver", "San Diego", "Atlanta"},
		[]string{"John", "Ana", "Michael", "Emily", "David", "Sarah", "James", "Laura", "Robert", "Megan"},
		[]string{"Carter", "Ruiz", "Miller", "Johnson", "Brown", "Davis", "Wilson", "Moore", "Taylor", "Clark"},
		[]string{"Northwind", "Blue Harbor", "Redwood", "Granite Peak", "Lakeside", "Summit", "Ironbridge", "Pioneer"}},
	{"DE", "EUR", 14, []string{"GmbH", "AG", "KG"},
		[]string{"München", "Berlin", "Hamburg", "Köln", "Stuttgart", "Leipzig", "Düsseldorf", "Nürnberg"},
		[]string{"Lukas", "Anna", "Jonas", "Lena", "Felix", "Marie", "Paul", "Sophie", "Tobias", "Julia"},
		[]string{"Bergmann", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Schäfer", "Koch", "Richter"},
		[]string{"Bergmann", "Rheinwerk", "Alpenblick", "Nordlicht", "Elbtal", "Hansa", "Isartal", "Schwarzwald"}},
	{"FR", "EUR", 12, []string{"SARL", "SAS", "SA"},
		[]string{"Lyon", "Paris", "Marseille", "Toulouse", "Nantes", "Bordeaux", "Lille", "Strasbourg"},
		[]string{"Marie", "Julien", "Camille", "Nicolas", "Chloé", "Thomas", "Léa", "Antoine", "Manon", "Hugo"},
		[]string{"Dupont", "Martin", "Bernard", "Durand", "Lefèvre", "Moreau", "Laurent", "Girard", "Roux", "Fournier"},
		[]string{"Acme", "Lumière", "Bastide", "Cévennes", "Atlantique", "Garonne", "Vercors", "Provence"}},
	{"GB", "GBP", 10, []string{"Ltd", "plc", "LLP"},
		[]string{"London", "Manchester", "Leeds", "Bristol", "Edinburgh", "Glasgow", "Cardiff", "Birmingham"},
		[]string{"Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Jack", "Emily", "Charlie", "Grace"},
		[]string{"Smith", "Jones", "Taylor", "Evans", "Walker", "Wright", "Hughes", "Edwards", "Green", "Hall"},
		[]string{"Thames", "Pennine", "Kestrel", "Oakwood", "Highgate", "Cotswold", "Harbourside", "Albion"}},
	{"JP", "JPY", 8, []string{"KK", "GK"},
		[]string{"Osaka", "Tokyo", "Kyoto", "Nagoya", "Yokohama", "Fukuoka", "Sapporo", "Kobe"},
		[]string{"Hana", "Haruto", "Yui", "Sota", "Aoi", "Ren", "Mei", "Yuto", "Sakura", "Riku"},
		[]string{"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato"},
		[]string{"Sakura", "Fuji", "Kawa", "Hikari", "Midori", "Asahi", "Yamato", "Tsubame"}},
	{"ES", "EUR", 6, []string{"S.L.", "S.A."},
		[]string{"Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Málaga", "Zaragoza"},
		[]string{"Lucía", "Hugo", "Sofía", "Martín", "Paula", "Daniel", "Carmen", "Pablo", "Elena", "Javier"},
		[]string{"García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz", "Moreno"},
		[]string{"Iberia", "Mediterránea", "Sierra", "Cantábrica", "Almendro", "Solana", "Ribera", "Castilla"}},
	{"IT", "EUR", 5, []string{"S.r.l.", "S.p.A."},
		[]string{"Milano", "Roma", "Torino", "Bologna", "Firenze", "Napoli", "Verona"},
		[]string{"Giulia", "Marco", "Chiara", "Luca", "Francesca", "Matteo", "Sara", "Andrea", "Elisa", "Davide"},
		[]string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco"},
		[]string{"Dolomiti", "Arno", "Vesuvio", "Laguna", "Toscana", "Adriatica", "Brenta", "Etna"}},
	{"NL", "EUR", 4, []string{"B.V.", "N.V."},
		[]string{"Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Den Haag", "Groningen"},
		[]string{"Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Finn", "Sanne", "Bram", "Fleur"},
		[]string{"de Jong", "Jansen", "de Vries", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos"},
		[]string{"Polder", "Tulip", "Noordzee", "Zuiderzee", "Maas", "Waddenzee", "Delta", "Holland"}},
	{"CH", "CHF", 4, []string{"AG", "GmbH", "SA"},
		[]string{"Zürich", "Genève", "Basel", "Bern", "Lausanne", "Luzern"},
		[]string{"Noah", "Mia", "Luca", "Lea", "Leon", "Elena", "Nico", "Laura", "Jan", "Nina"},
		[]string{"Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Gerber", "Brunner", "Baumann", "Frei"},
		[]string{"Matterhorn", "Limmat", "Jura", "Säntis", "Léman", "Rigi", "Aare", "Engadin"}},
	{"SE", "SEK", 3, []string{"AB"},
		[]string{"Stockholm", "Göteborg", "Malmö", "Uppsala", "Linköping"},
		[]string{"Elsa", "William", "Alice", "Oscar", "Maja", "Lucas", "Ebba", "Hugo", "Astrid", "Liam"},
		[]string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Lindberg"},
		[]string{"Norrsken", "Skärgård", "Fjäll", "Vänern", "Björk", "Granit", "Älv", "Ljung"}},
	{"CA", "CAD", 4, []string{"Inc.", "Ltd."},
		[]string{"Toronto", "Montréal", "Vancouver", "Calgary", "Ottawa", "Québec"},
		[]string{"Liam", "Olivia", "Noah", "Charlotte", "Ethan", "Chloé", "Lucas", "Emma", "Logan", "Léa"},
		[]string{"Tremblay", "Roy", "Gagnon", "MacDonald", "Wilson", "Côté", "Bouchard", "Campbell", "Anderson", "Gauthier"},
		[]string{"Maple", "Laurentian", "Boreal", "Rideau", "Prairie", "Cascade", "Fundy", "Klondike"}},
	{"AU", "AUD", 3, []string{"Pty Ltd"},
		[]string{"Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Hobart"},
		[]string{"Jack", "Charlotte", "Oliver", "Olivia", "William", "Mia", "Thomas", "Ruby", "Lachlan", "Chloe"},
		[]string{"Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Nguyen", "Kelly", "Ryan", "Murphy"},
		[]string{"Southern Cross", "Coral", "Eucalypt", "Outback", "Tasman", "Wattle", "Kookaburra", "Ningaloo"}},
	{"PL", "PLN", 3, []string{"Sp. z o.o.", "S.A."},
		[]string{"Warszawa", "Kraków", "Wrocław", "Gdańsk", "Poznań", "Łódź"},
		[]string{"Zofia", "Jakub", "Maja", "Antoni", "Hanna", "Jan", "Lena", "Szymon", "Julia", "Filip"},
		[]string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski"},
		[]string{"Wisła", "Tatry", "Bałtyk", "Mazury", "Karkonosze", "Odra", "Bieszczady", "Warta"}},
	{"BR", "BRL", 2, []string{"Ltda.", "S.A."},
		[]string{"São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Porto Alegre", "Recife"},
		[]string{"Miguel", "Helena", "Arthur", "Alice", "Gael", "Laura", "Heitor", "Valentina", "Davi", "Beatriz"},
		[]string{"Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima", "Gomes"},
		[]string{"Ipê", "Atlântico", "Cerrado", "Araucária", "Tijuca", "Pampa", "Jequitibá", "Guanabara"}},
}

var sectors = []string{"Design", "Logistics", "Consulting", "Engineering", "Media", "Health", "Software",
	"Architects", "Foods", "Legal", "Retail", "Energy", "Studio", "Systems", "Partners", "Analytics"}

// computerKinds begin serial numbers: a server, a workstation, a terminal server, a laptop.
var computerKinds = []string{"SRV", "WS", "TS", "PC", "LAP", "VM"}

// eurPer1 holds how many of a currency one euro buys, as whole units times 100,
// so that prices convert in integers: USD 1.08 is 108.
var eurPer1 = map[string]int64{
	"EUR": 100, "USD": 108, "GBP": 85, "JPY": 16000, "CHF": 95, "SEK": 1140,
	"CAD": 147, "AUD": 165, "PLN": 430, "BRL": 590,
}
