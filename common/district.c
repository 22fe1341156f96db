/* SPDX-License-Identifier: ISC */
/*
 * district.c - the 973 districts (ilçe) of Turkey's 81 provinces, as the
 * Ministry of the Interior lists them since the districts of 2012-2018
 * (laws 6360 and 6447, then Kemalpaşa of Artvin, Sultanhanı and Derecik):
 * the public list that Wikipedia's "List of districts of Turkey" and
 * TÜİK's address register (ADNKS) carry. It was written down from that
 * list, not downloaded: Debian ships no table of Turkish districts.
 * Provinces that are not metropolitan have a central district, "Merkez",
 * which the portal spells "AKSARAY MERKEZ". Old and usual spellings are
 * aliases below; spelling variants of case, dotted and dotless i,
 * circumflexes and blanks fold away (validate_fold).
 */

#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "nitems.h"
#include "validate.h"

/* By plate code - 1: the province's districts, comma separated. */
static const char *const district_lists[81] = {
	/* 01 Adana, 15 */
	"Aladağ,Ceyhan,Çukurova,Feke,İmamoğlu,Karaisalı,Karataş"
	",Kozan,Pozantı,Saimbeyli,Sarıçam,Seyhan,Tufanbeyli"
	",Yumurtalık,Yüreğir",
	/* 02 Adıyaman, 9 */
	"Merkez,Besni,Çelikhan,Gerger,Gölbaşı,Kahta,Samsat,Sincik"
	",Tut",
	/* 03 Afyonkarahisar, 18 */
	"Merkez,Başmakçı,Bayat,Bolvadin,Çay,Çobanlar,Dazkırı"
	",Dinar,Emirdağ,Evciler,Hocalar,İhsaniye,İscehisar"
	",Kızılören,Sandıklı,Sinanpaşa,Sultandağı,Şuhut",
	/* 04 Ağrı, 8 */
	"Merkez,Diyadin,Doğubayazıt,Eleşkirt,Hamur,Patnos"
	",Taşlıçay,Tutak",
	/* 05 Amasya, 7 */
	"Merkez,Göynücek,Gümüşhacıköy,Hamamözü,Merzifon"
	",Suluova,Taşova",
	/* 06 Ankara, 25 */
	"Akyurt,Altındağ,Ayaş,Bala,Beypazarı,Çamlıdere,Çankaya"
	",Çubuk,Elmadağ,Etimesgut,Evren,Gölbaşı,Güdül,Haymana"
	",Kahramankazan,Kalecik,Keçiören,Kızılcahamam,Mamak"
	",Nallıhan,Polatlı,Pursaklar,Sincan,Şereflikoçhisar"
	",Yenimahalle",
	/* 07 Antalya, 19 */
	"Akseki,Aksu,Alanya,Demre,Döşemealtı,Elmalı,Finike"
	",Gazipaşa,Gündoğmuş,İbradı,Kaş,Kemer,Kepez,Konyaaltı"
	",Korkuteli,Kumluca,Manavgat,Muratpaşa,Serik",
	/* 08 Artvin, 9 */
	"Merkez,Ardanuç,Arhavi,Borçka,Hopa,Kemalpaşa,Murgul"
	",Şavşat,Yusufeli",
	/* 09 Aydın, 17 */
	"Bozdoğan,Buharkent,Çine,Didim,Efeler,Germencik,İncirliova"
	",Karacasu,Karpuzlu,Koçarlı,Köşk,Kuşadası,Kuyucak"
	",Nazilli,Söke,Sultanhisar,Yenipazar",
	/* 10 Balıkesir, 20 */
	"Altıeylül,Ayvalık,Balya,Bandırma,Bigadiç,Burhaniye"
	",Dursunbey,Edremit,Erdek,Gömeç,Gönen,Havran,İvrindi"
	",Karesi,Kepsut,Manyas,Marmara,Savaştepe,Sındırgı"
	",Susurluk",
	/* 11 Bilecik, 8 */
	"Merkez,Bozüyük,Gölpazarı,İnhisar,Osmaneli,Pazaryeri"
	",Söğüt,Yenipazar",
	/* 12 Bingöl, 8 */
	"Merkez,Adaklı,Genç,Karlıova,Kiğı,Solhan,Yayladere"
	",Yedisu",
	/* 13 Bitlis, 7 */
	"Merkez,Adilcevaz,Ahlat,Güroymak,Hizan,Mutki,Tatvan",
	/* 14 Bolu, 9 */
	"Merkez,Dörtdivan,Gerede,Göynük,Kıbrıscık,Mengen"
	",Mudurnu,Seben,Yeniçağa",
	/* 15 Burdur, 11 */
	"Merkez,Ağlasun,Altınyayla,Bucak,Çavdır,Çeltikçi"
	",Gölhisar,Karamanlı,Kemer,Tefenni,Yeşilova",
	/* 16 Bursa, 17 */
	"Büyükorhan,Gemlik,Gürsu,Harmancık,İnegöl,İznik"
	",Karacabey,Keles,Kestel,Mudanya,Mustafakemalpaşa,Nilüfer"
	",Orhaneli,Orhangazi,Osmangazi,Yenişehir,Yıldırım",
	/* 17 Çanakkale, 12 */
	"Merkez,Ayvacık,Bayramiç,Biga,Bozcaada,Çan,Eceabat,Ezine"
	",Gelibolu,Gökçeada,Lapseki,Yenice",
	/* 18 Çankırı, 12 */
	"Merkez,Atkaracalar,Bayramören,Çerkeş,Eldivan,Ilgaz"
	",Kızılırmak,Korgun,Kurşunlu,Orta,Şabanözü,Yapraklı",
	/* 19 Çorum, 14 */
	"Merkez,Alaca,Bayat,Boğazkale,Dodurga,İskilip,Kargı,Laçin"
	",Mecitözü,Oğuzlar,Ortaköy,Osmancık,Sungurlu,Uğurludağ",
	/* 20 Denizli, 19 */
	"Acıpayam,Babadağ,Baklan,Bekilli,Beyağaç,Bozkurt,Buldan"
	",Çal,Çameli,Çardak,Çivril,Güney,Honaz,Kale,Merkezefendi"
	",Pamukkale,Sarayköy,Serinhisar,Tavas",
	/* 21 Diyarbakır, 17 */
	"Bağlar,Bismil,Çermik,Çınar,Çüngüş,Dicle,Eğil,Ergani"
	",Hani,Hazro,Kayapınar,Kocaköy,Kulp,Lice,Silvan,Sur"
	",Yenişehir",
	/* 22 Edirne, 9 */
	"Merkez,Enez,Havsa,İpsala,Keşan,Lalapaşa,Meriç,Süloğlu"
	",Uzunköprü",
	/* 23 Elazığ, 11 */
	"Merkez,Ağın,Alacakaya,Arıcak,Baskil,Karakoçan,Keban"
	",Kovancılar,Maden,Palu,Sivrice",
	/* 24 Erzincan, 9 */
	"Merkez,Çayırlı,İliç,Kemah,Kemaliye,Otlukbeli,Refahiye"
	",Tercan,Üzümlü",
	/* 25 Erzurum, 20 */
	"Aşkale,Aziziye,Çat,Hınıs,Horasan,İspir,Karaçoban"
	",Karayazı,Köprüköy,Narman,Oltu,Olur,Palandöken,Pasinler"
	",Pazaryolu,Şenkaya,Tekman,Tortum,Uzundere,Yakutiye",
	/* 26 Eskişehir, 14 */
	"Alpu,Beylikova,Çifteler,Günyüzü,Han,İnönü,Mahmudiye"
	",Mihalgazi,Mihalıççık,Odunpazarı,Sarıcakaya,Seyitgazi"
	",Sivrihisar,Tepebaşı",
	/* 27 Gaziantep, 9 */
	"Araban,İslahiye,Karkamış,Nizip,Nurdağı,Oğuzeli"
	",Şahinbey,Şehitkamil,Yavuzeli",
	/* 28 Giresun, 16 */
	"Merkez,Alucra,Bulancak,Çamoluk,Çanakçı,Dereli,Doğankent"
	",Espiye,Eynesil,Görele,Güce,Keşap,Piraziz,Şebinkarahisar"
	",Tirebolu,Yağlıdere",
	/* 29 Gümüşhane, 6 */
	"Merkez,Kelkit,Köse,Kürtün,Şiran,Torul",
	/* 30 Hakkari, 5 */
	"Merkez,Çukurca,Derecik,Şemdinli,Yüksekova",
	/* 31 Hatay, 15 */
	"Altınözü,Antakya,Arsuz,Belen,Defne,Dörtyol,Erzin,Hassa"
	",İskenderun,Kırıkhan,Kumlu,Payas,Reyhanlı,Samandağ"
	",Yayladağı",
	/* 32 Isparta, 13 */
	"Merkez,Aksu,Atabey,Eğirdir,Gelendost,Gönen,Keçiborlu"
	",Senirkent,Sütçüler,Şarkikaraağaç,Uluborlu,Yalvaç"
	",Yenişarbademli",
	/* 33 Mersin, 13 */
	"Akdeniz,Anamur,Aydıncık,Bozyazı,Çamlıyayla,Erdemli"
	",Gülnar,Mezitli,Mut,Silifke,Tarsus,Toroslar,Yenişehir",
	/* 34 İstanbul, 39 */
	"Adalar,Arnavutköy,Ataşehir,Avcılar,Bağcılar"
	",Bahçelievler,Bakırköy,Başakşehir,Bayrampaşa"
	",Beşiktaş,Beykoz,Beylikdüzü,Beyoğlu,Büyükçekmece"
	",Çatalca,Çekmeköy,Esenler,Esenyurt,Eyüpsultan,Fatih"
	",Gaziosmanpaşa,Güngören,Kadıköy,Kağıthane,Kartal"
	",Küçükçekmece,Maltepe,Pendik,Sancaktepe,Sarıyer,Silivri"
	",Sultanbeyli,Sultangazi,Şile,Şişli,Tuzla,Ümraniye"
	",Üsküdar,Zeytinburnu",
	/* 35 İzmir, 30 */
	"Aliağa,Balçova,Bayındır,Bayraklı,Bergama,Beydağ"
	",Bornova,Buca,Çeşme,Çiğli,Dikili,Foça,Gaziemir"
	",Güzelbahçe,Karabağlar,Karaburun,Karşıyaka,Kemalpaşa"
	",Kınık,Kiraz,Konak,Menderes,Menemen,Narlıdere,Ödemiş"
	",Seferihisar,Selçuk,Tire,Torbalı,Urla",
	/* 36 Kars, 8 */
	"Merkez,Akyaka,Arpaçay,Digor,Kağızman,Sarıkamış,Selim"
	",Susuz",
	/* 37 Kastamonu, 20 */
	"Merkez,Abana,Ağlı,Araç,Azdavay,Bozkurt,Cide,Çatalzeytin"
	",Daday,Devrekani,Doğanyurt,Hanönü,İhsangazi,İnebolu"
	",Küre,Pınarbaşı,Seydiler,Şenpazar,Taşköprü,Tosya",
	/* 38 Kayseri, 16 */
	"Akkışla,Bünyan,Develi,Felahiye,Hacılar,İncesu,Kocasinan"
	",Melikgazi,Özvatan,Pınarbaşı,Sarıoğlan,Sarız,Talas"
	",Tomarza,Yahyalı,Yeşilhisar",
	/* 39 Kırklareli, 8 */
	"Merkez,Babaeski,Demirköy,Kofçaz,Lüleburgaz,Pehlivanköy"
	",Pınarhisar,Vize",
	/* 40 Kırşehir, 7 */
	"Merkez,Akçakent,Akpınar,Boztepe,Çiçekdağı,Kaman,Mucur",
	/* 41 Kocaeli, 12 */
	"Başiskele,Çayırova,Darıca,Derince,Dilovası,Gebze"
	",Gölcük,İzmit,Kandıra,Karamürsel,Kartepe,Körfez",
	/* 42 Konya, 31 */
	"Ahırlı,Akören,Akşehir,Altınekin,Beyşehir,Bozkır"
	",Cihanbeyli,Çeltik,Çumra,Derbent,Derebucak,Doğanhisar"
	",Emirgazi,Ereğli,Güneysınır,Hadim,Halkapınar,Hüyük"
	",Ilgın,Kadınhanı,Karapınar,Karatay,Kulu,Meram,Sarayönü"
	",Selçuklu,Seydişehir,Taşkent,Tuzlukçu,Yalıhüyük,Yunak",
	/* 43 Kütahya, 13 */
	"Merkez,Altıntaş,Aslanapa,Çavdarhisar,Domaniç,Dumlupınar"
	",Emet,Gediz,Hisarcık,Pazarlar,Simav,Şaphane,Tavşanlı",
	/* 44 Malatya, 13 */
	"Akçadağ,Arapgir,Arguvan,Battalgazi,Darende,Doğanşehir"
	",Doğanyol,Hekimhan,Kale,Kuluncak,Pütürge,Yazıhan"
	",Yeşilyurt",
	/* 45 Manisa, 17 */
	"Ahmetli,Akhisar,Alaşehir,Demirci,Gölmarmara,Gördes"
	",Kırkağaç,Köprübaşı,Kula,Salihli,Sarıgöl,Saruhanlı"
	",Selendi,Soma,Şehzadeler,Turgutlu,Yunusemre",
	/* 46 Kahramanmaraş, 11 */
	"Afşin,Andırın,Çağlayancerit,Dulkadiroğlu,Ekinözü"
	",Elbistan,Göksun,Nurhak,Onikişubat,Pazarcık,Türkoğlu",
	/* 47 Mardin, 10 */
	"Artuklu,Dargeçit,Derik,Kızıltepe,Mazıdağı,Midyat"
	",Nusaybin,Ömerli,Savur,Yeşilli",
	/* 48 Muğla, 13 */
	"Bodrum,Dalaman,Datça,Fethiye,Kavaklıdere,Köyceğiz"
	",Marmaris,Menteşe,Milas,Ortaca,Seydikemer,Ula,Yatağan",
	/* 49 Muş, 6 */
	"Merkez,Bulanık,Hasköy,Korkut,Malazgirt,Varto",
	/* 50 Nevşehir, 8 */
	"Merkez,Acıgöl,Avanos,Derinkuyu,Gülşehir,Hacıbektaş"
	",Kozaklı,Ürgüp",
	/* 51 Niğde, 6 */
	"Merkez,Altunhisar,Bor,Çamardı,Çiftlik,Ulukışla",
	/* 52 Ordu, 19 */
	"Akkuş,Altınordu,Aybastı,Çamaş,Çatalpınar,Çaybaşı"
	",Fatsa,Gölköy,Gülyalı,Gürgentepe,İkizce,Kabadüz"
	",Kabataş,Korgan,Kumru,Mesudiye,Perşembe,Ulubey,Ünye",
	/* 53 Rize, 12 */
	"Merkez,Ardeşen,Çamlıhemşin,Çayeli,Derepazarı"
	",Fındıklı,Güneysu,Hemşin,İkizdere,İyidere,Kalkandere"
	",Pazar",
	/* 54 Sakarya, 16 */
	"Adapazarı,Akyazı,Arifiye,Erenler,Ferizli,Geyve,Hendek"
	",Karapürçek,Karasu,Kaynarca,Kocaali,Pamukova,Sapanca"
	",Serdivan,Söğütlü,Taraklı",
	/* 55 Samsun, 17 */
	"Alaçam,Asarcık,Atakum,Ayvacık,Bafra,Canik,Çarşamba"
	",Havza,İlkadım,Kavak,Ladik,Ondokuzmayıs,Salıpazarı"
	",Tekkeköy,Terme,Vezirköprü,Yakakent",
	/* 56 Siirt, 7 */
	"Merkez,Baykan,Eruh,Kurtalan,Pervari,Şirvan,Tillo",
	/* 57 Sinop, 9 */
	"Merkez,Ayancık,Boyabat,Dikmen,Durağan,Erfelek,Gerze"
	",Saraydüzü,Türkeli",
	/* 58 Sivas, 17 */
	"Merkez,Akıncılar,Altınyayla,Divriği,Doğanşar,Gemerek"
	",Gölova,Gürün,Hafik,İmranlı,Kangal,Koyulhisar,Suşehri"
	",Şarkışla,Ulaş,Yıldızeli,Zara",
	/* 59 Tekirdağ, 11 */
	"Çerkezköy,Çorlu,Ergene,Hayrabolu,Kapaklı,Malkara"
	",Marmaraereğlisi,Muratlı,Saray,Süleymanpaşa,Şarköy",
	/* 60 Tokat, 12 */
	"Merkez,Almus,Artova,Başçiftlik,Erbaa,Niksar,Pazar"
	",Reşadiye,Sulusaray,Turhal,Yeşilyurt,Zile",
	/* 61 Trabzon, 18 */
	"Akçaabat,Araklı,Arsin,Beşikdüzü,Çarşıbaşı,Çaykara"
	",Dernekpazarı,Düzköy,Hayrat,Köprübaşı,Maçka,Of"
	",Ortahisar,Sürmene,Şalpazarı,Tonya,Vakfıkebir,Yomra",
	/* 62 Tunceli, 8 */
	"Merkez,Çemişgezek,Hozat,Mazgirt,Nazımiye,Ovacık,Pertek"
	",Pülümür",
	/* 63 Şanlıurfa, 13 */
	"Akçakale,Birecik,Bozova,Ceylanpınar,Eyyübiye,Halfeti"
	",Haliliye,Harran,Hilvan,Karaköprü,Siverek,Suruç"
	",Viranşehir",
	/* 64 Uşak, 6 */
	"Merkez,Banaz,Eşme,Karahallı,Sivaslı,Ulubey",
	/* 65 Van, 13 */
	"Bahçesaray,Başkale,Çaldıran,Çatak,Edremit,Erciş,Gevaş"
	",Gürpınar,İpekyolu,Muradiye,Özalp,Saray,Tuşba",
	/* 66 Yozgat, 14 */
	"Merkez,Akdağmadeni,Aydıncık,Boğazlıyan,Çandır"
	",Çayıralan,Çekerek,Kadışehri,Saraykent,Sarıkaya,Sorgun"
	",Şefaatli,Yenifakılı,Yerköy",
	/* 67 Zonguldak, 8 */
	"Merkez,Alaplı,Çaycuma,Devrek,Ereğli,Gökçebey,Kilimli"
	",Kozlu",
	/* 68 Aksaray, 8 */
	"Merkez,Ağaçören,Eskil,Gülağaç,Güzelyurt,Ortaköy"
	",Sarıyahşi,Sultanhanı",
	/* 69 Bayburt, 3 */
	"Merkez,Aydıntepe,Demirözü",
	/* 70 Karaman, 6 */
	"Merkez,Ayrancı,Başyayla,Ermenek,Kazımkarabekir"
	",Sarıveliler",
	/* 71 Kırıkkale, 9 */
	"Merkez,Bahşılı,Balışeyh,Çelebi,Delice,Karakeçili"
	",Keskin,Sulakyurt,Yahşihan",
	/* 72 Batman, 6 */
	"Merkez,Beşiri,Gercüş,Hasankeyf,Kozluk,Sason",
	/* 73 Şırnak, 7 */
	"Merkez,Beytüşşebap,Cizre,Güçlükonak,İdil,Silopi"
	",Uludere",
	/* 74 Bartın, 4 */
	"Merkez,Amasra,Kurucaşile,Ulus",
	/* 75 Ardahan, 6 */
	"Merkez,Çıldır,Damal,Göle,Hanak,Posof",
	/* 76 Iğdır, 4 */
	"Merkez,Aralık,Karakoyunlu,Tuzluca",
	/* 77 Yalova, 6 */
	"Merkez,Altınova,Armutlu,Çınarcık,Çiftlikköy,Termal",
	/* 78 Karabük, 6 */
	"Merkez,Eflani,Eskipazar,Ovacık,Safranbolu,Yenice",
	/* 79 Kilis, 4 */
	"Merkez,Elbeyli,Musabeyli,Polateli",
	/* 80 Osmaniye, 7 */
	"Merkez,Bahçe,Düziçi,Hasanbeyli,Kadirli,Sumbas,Toprakkale",
	/* 81 Düzce, 8 */
	"Merkez,Akçakoca,Cumayeri,Çilimli,Gölyaka,Gümüşova"
	",Kaynaşlı,Yığılca",
};

/* Names in use besides the official ones: old names, split spellings. */
static const struct district_alias {
	int		 plate;
	const char	*alias;
	const char	*name;
} district_aliases[] = {
	{ 4, "Doğubeyazıt", "Doğubayazıt" },
	{ 6, "Kazan", "Kahramankazan" },
	{ 7, "Kale", "Demre" },
	{ 34, "Eyüp", "Eyüpsultan" },
	{ 42, "Konya Ereğli", "Ereğli" },
	{ 55, "19 Mayıs", "Ondokuzmayıs" },
	{ 67, "Karadeniz Ereğli", "Ereğli" },
	{ 73, "Beytüşşebab", "Beytüşşebap" },
	/* Metropolitan since 2012-2013: the old Merkez has one heir. */
	{ 9, "Merkez", "Efeler" },
	{ 31, "Merkez", "Antakya" },
	{ 41, "Merkez", "İzmit" },
	{ 47, "Merkez", "Artuklu" },
	{ 48, "Merkez", "Menteşe" },
	{ 52, "Merkez", "Altınordu" },
	{ 54, "Merkez", "Adapazarı" },
	{ 59, "Merkez", "Süleymanpaşa" },
	{ 61, "Merkez", "Ortahisar" },
};

#define DISTRICT_NAME	64

/*
 * Call fn on each district of plate with its name, until fn returns
 * non-zero; that value, or 0.
 */
static int
district_walk(int plate, int (*fn)(const char *, void *), void *arg)
{
	const char	*p, *end;
	char		 name[DISTRICT_NAME];
	size_t		 n;
	int		 rc;

	if (plate < 1 || plate > (int)nitems(district_lists))
		return (0);
	for (p = district_lists[plate - 1]; *p != '\0'; p = end) {
		end = p + strcspn(p, ",");
		n = end - p < DISTRICT_NAME - 1 ? (size_t)(end - p) :
		    DISTRICT_NAME - 1;
		memcpy(name, p, n);
		name[n] = '\0';
		if (*end == ',')
			end++;
		if ((rc = fn(name, arg)) != 0)
			return (rc);
	}
	return (0);
}

struct district_find {
	const char	*want;		/* folded */
	char		 found[DISTRICT_NAME];
	size_t		 n;
	size_t		 index;
};

static int
district_match_cb(const char *name, void *arg)
{
	struct district_find	*f = arg;
	char			 have[DISTRICT_NAME];

	validate_fold(name, have, sizeof(have));
	if (strcmp(have, f->want) != 0)
		return (0);
	snprintf(f->found, sizeof(f->found), "%s", name);
	return (1);
}

static int
district_count_cb(const char *name, void *arg)
{
	struct district_find	*f = arg;

	if (f->n++ != f->index)
		return (0);
	snprintf(f->found, sizeof(f->found), "%s", name);
	return (1);
}

/*
 * "Merkez", "Aksaray Merkez", "Merkez Aksaray" and "Aksaray" in plate's
 * province all fold to "merkez" here.
 */
static void
district_fold(int plate, const char *in, char *out, size_t len)
{
	char	 prov[DISTRICT_NAME], m[DISTRICT_NAME * 2];

	validate_fold(in, out, len);
	if (validate_province_name(plate) == NULL)
		return;
	validate_fold(validate_province_name(plate), prov, sizeof(prov));
	snprintf(m, sizeof(m), "%smerkez", prov);
	if (strcmp(out, prov) == 0 || strcmp(out, m) == 0 ||
	    (strncmp(out, "merkez", 6) == 0 && strcmp(out + 6, prov) == 0))
		snprintf(out, len, "merkez");
}

int
validate_district(int plate, const char *value, char *norm, size_t len)
{
	struct district_find	 f;
	char			 want[DISTRICT_NAME], alias[DISTRICT_NAME];
	size_t			 i;

	memset(&f, 0, sizeof(f));
	district_fold(plate, value, want, sizeof(want));
	f.want = want;
	for (i = 0; i < nitems(district_aliases); i++) {
		if (district_aliases[i].plate != plate)
			continue;
		validate_fold(district_aliases[i].alias, alias, sizeof(alias));
		if (strcmp(alias, want) == 0) {
			validate_fold(district_aliases[i].name, want,
			    sizeof(want));
			break;
		}
	}
	if (district_walk(plate, district_match_cb, &f) == 0)
		return (0);
	if (strcmp(f.found, "Merkez") == 0)
		snprintf(norm, len, "%s Merkez", validate_province_name(plate));
	else
		snprintf(norm, len, "%s", f.found);
	return (1);
}

int
validate_district_where(const char *value, int after)
{
	char	 norm[DISTRICT_NAME * 2];
	int	 plate;

	for (plate = after + 1; plate <= (int)nitems(district_lists); plate++)
		if (validate_district(plate, value, norm, sizeof(norm)))
			return (plate);
	return (0);
}

size_t
validate_district_count(int plate)
{
	struct district_find	 f;

	memset(&f, 0, sizeof(f));
	f.index = (size_t)-1;
	district_walk(plate, district_count_cb, &f);
	return (f.n);
}

const char *
validate_district_name(int plate, size_t i, char *buf, size_t len)
{
	struct district_find	 f;

	memset(&f, 0, sizeof(f));
	f.index = i;
	if (district_walk(plate, district_count_cb, &f) == 0)
		return (NULL);
	snprintf(buf, len, "%s", f.found);
	return (buf);
}
