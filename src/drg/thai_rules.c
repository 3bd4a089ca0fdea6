/*
 * thai_rules.c — the hand-written knowledge the Thai 6.3 importer adds to
 * the Thai tables (docs/drg.md, "The Thai 6.3 derived set"): procedure
 * clusters by ICD-9-CM code, the surgical hierarchy of each MDC, the
 * pre-MDC and neonate rows, the principal-cluster-to-family choices where
 * the Thai cluster letters do not line up with the DC names, and the small
 * constant tables (version, MDC names, severity points).  Tables only, no
 * logic: thai_proc.c, thai_family.c, thai_dx.c and thai_routes.c read them.
 *
 * Cluster codes are ICD-9-CM volume 3 prefixes without dots ('?' matches
 * any one digit); the first cluster whose prefix matches a code takes it,
 * so specific codes are listed before the ranges that contain them.
 */
#include "drg/thai_int.h"

#include <stddef.h>

/* ---- constants ------------------------------------------------------------------- */

const char *const thai_version_rows[][2] = {
    {"id", "thai-6.3-gd1"},
    {"valid_from", "2000-01-01"},
    {"valid_to", ""},
    {"description", "giamdinh definition set derived from Thai DRG 6.3 weights (Thai CaseMix Centre public "
                    "tables, 2021-02-14); routing, procedure clusters and severity are giamdinh's own "
                    "(docs/drg.md), not the official Thai grouper"},
    {"drg_ungroupable", "26509"},
    {"drg_bad_pdx", "26519"},
    {"drg_bad_age_sex", "26539"},
    {NULL, NULL}};

const char *const thai_ccl_points[][2] = {{"1", "1"}, {"2", "2"}, {"3", "4"}, {"4", "8"}, {NULL, NULL}};

const char *const thai_severity_rows[][3] = {
    {"*", "1", "2"}, {"*", "2", "4"}, {"*", "3", "8"}, {"*", "4", "12"}, {NULL, NULL, NULL}};

const thai_pair_rule thai_mdc_names[] = {
    {"00", "Pre-MDC: transplants and tracheostomy"},
    {"01", "Diseases and disorders of the nervous system"},
    {"02", "Diseases and disorders of the eye"},
    {"03", "Diseases and disorders of the ear, nose, mouth and throat"},
    {"04", "Diseases and disorders of the respiratory system"},
    {"05", "Diseases and disorders of the circulatory system"},
    {"06", "Diseases and disorders of the digestive system"},
    {"07", "Diseases and disorders of the hepatobiliary system and pancreas"},
    {"08", "Diseases and disorders of the musculoskeletal system and connective tissue"},
    {"09", "Diseases and disorders of the skin, subcutaneous tissue and breast"},
    {"10", "Endocrine, nutritional and metabolic diseases and disorders"},
    {"11", "Diseases and disorders of the kidney and urinary tract"},
    {"12", "Diseases and disorders of the male reproductive system"},
    {"13", "Diseases and disorders of the female reproductive system"},
    {"14", "Pregnancy, childbirth and the puerperium"},
    {"15", "Newborns and other neonates with conditions originating in the perinatal period"},
    {"16", "Diseases and disorders of the blood, blood-forming organs and immunological disorders"},
    {"17", "Myeloproliferative diseases and disorders, and poorly differentiated neoplasms"},
    {"18", "Infectious and parasitic diseases"},
    {"19", "Mental diseases and disorders"},
    {"20", "Alcohol and drug use and induced mental disorders"},
    {"21", "Injuries, poisonings and toxic effects of drugs"},
    {"22", "Burns"},
    {"23", "Factors influencing health status and other contacts with health services"},
    {"24", "Multiple significant trauma"},
    {"25", "Human immunodeficiency virus infections"},
    {"26", "OR procedures unrelated to the principal diagnosis, and error DRGs"},
    {"30", "Codes not acceptable as principal diagnosis"},
    {NULL, NULL}};

/* ---- procedure clusters ------------------------------------------------------------ */

const thai_cluster_rule thai_cluster_rules[] = {
    /* pre-MDC */
    {"LIVERTX", "505"},
    {"HEARTLUNGTX", "335 336 3751"},
    {"BMT", "410"},
    {"TRACH", "311 312"},
    {"LARYNGECTOMY", "301 303 304"},
    /* non-OR procedures that choose a DC */
    {"VENT96", "9672"},
    {"VENT", "9670 9671"},
    {"NIV", "9390 9391"},
    {"CHEMO", "9925 0010 1770"},
    {"RADIO", "922 923 924"},
    {"COAGF", "9906 0096"},
    {"TRANSF", "990"},
    {"THROMBOLYSIS", "9910 3604"},
    {"DIALYSIS", "3995 5498"},
    {"ECT", "9426 9427"},
    {"PLASMA", "9971"},
    {"NEOPROC", "3891 3892 3893 3894 3897 9915 0331 3491 3404"},
    {"DIAG", "5110 5111 5114 5213 5214"},
    /* nervous system */
    {"ENDOVASC_NEURO", "0062 0065 1754 3972 3974 3975 3976"},
    {"CARPAL", "0443"},
    {"VSHUNT", "022 023 024 037 0397 0398"},
    {"CRANIO", "0112 0114 012 013 014 015 016 020 021 029 0717 075 0401 0441 1761"},
    {"SPINE", "030 031 032 033 034 035 036 039"},
    {"EXTRAVASC", "0061 0063 0064 1753 3802 3812 3832 3842 3862 3882 3922 398"},
    {"INTRAVASC", "3801 3811 3831 3841 3851 3861 3881 3928 3951 3952 3953"},
    {"NERVE", "04 05 0471 0472 8694 8695 8696 8697 8698"},
    /* eye */
    {"EYEINJURY", "161 1681 1682 1689 1200 1201 1202 1300 1301 1302 1400 1401 1402 1151 1153 1281"},
    {"KERATOPLASTY", "116 1173"},
    {"RETINA", "14"},
    {"ORBIT", "160 162 163 164 165 166 167 169"},
    {"LACRIMAL_MAJOR", "092 096 098"},
    {"LENS_MAJOR", "131 132 133 134 135"},
    {"LENS_OTHER", "136 137 138 139"},
    {"INTRAOCULAR", "12"},
    /* ear, nose, mouth and throat */
    {"HN_RECON", "2755 2756 2757 7641 7643 7644 7646 7691 7692"},
    {"HN_MAJOR", "252 253 254 2931 2933 294 2959 3021 3022 3029 404 7631 7639 7642 7645 766"},
    {"DENTAL", "23 24"},
    {"HN_MINOR", "26 292 4021 403 066 760 761 762 767 769 2731 2732 2742 2743"},
    /* respiratory */
    {"THORACOSCOPIC_MAJOR", "3220 3225 3230 3241 3250 3452 0783 0784"},
    {"THORACOSCOPIC_DX", "3320 3421 3422"},
    {"CHEST_MAJOR", "078 079 321 322 323 324 325 326 329 3334 3339 334 3402 3403 345 347 348 5380 5384 4063 4069"},
    {"RESP_MINOR", "3327 3329 3393 3427 3428 3429 346 3499"},
    /* circulatory */
    {"PERCUT", "0066 1755 3596"},
    {"STENT", "3606 3607 0045 0046 0047 0048"},
    {"MULTIVES", "0041 0042 0043"},
    {"STENT_PERIPH", "3990 0055 0060"},
    {"CATH", "3721 3722 3723 885"},
    {"EPS", "3726 3727 3734"},
    {"AICD", "3794 3795 3796 3797 3798 0051 0054"},
    {"PM_SYS", "0050"},
    {"PM_LEAD", "3770 3771 3772 3773 3774 3776 0052"},
    {"PM_GEN", "3780 3781 3782 3783 3785 3786 3787 0053"},
    {"PM_REV", "3775 3777 3779 3789"},
    {"CARDIO_ASSIST", "3741 3752 3753 3754 3755 376"},
    {"CABG", "361 362 3603"},
    {"VALVE_AO", "3501 3505 3506 3511 3521 3522"},
    {"VALVE_MI", "3502 3512 3523 3524 3597"},
    {"VALVE_PU", "3503 3507 3508 3513 3525 3526"},
    {"VALVE_TR", "3504 3514 3527 3528"},
    {"VALVE_OTH", "3500 3509 3510 3520 353 3599"},
    {"CARDIO_SIMPLE", "3712 3724 3731 3799"},
    {"CARDIO_OTHER", "354 355 356 357 358 359 3631 3632 3633 3634 3639 369 371 373 3749 3791 390 3921 3923"},
    {"MAJORVASC", "3804 3805 3806 3814 3815 3816 3834 3835 3836 3837 3844 3845 3846 3847 3864 3866 3884 3924 "
                  "3925 3971 3973"},
    {"VARICOSE", "385 3992"},
    {"AMP_MAJOR", "8404 8405 8406 8407 8408 8409 8413 8414 8415 8416 8417 8418 8419"},
    {"AMP_HAND", "8400 8401 8402 8403"},
    {"AMP_FOOT", "8410 8411 8412 843 8491"},
    {"PORTAL_SHUNT", "391"},
    {"PD_CATH", "5493"},
    {"GEN_VESSEL", "3810 3830 3840 3950 3956 3957 3958 3959 3991"},
    {"GEN_MINOR_VESSEL", "3800 3931 3949"},
    {"VASC_OTHER", "38 39 1756"},
    /* digestive */
    {"GEN_STOMY", "4319 4639"},
    {"ESOPH_RESECT", "424 425 426"},
    {"GI_STENT", "4281 4686 4687"},
    {"ESOPH_OTHER", "420 421 4225 423 427 428 4291"},
    {"LAP_OBESITY", "4382 4495 4496 4497 4498"},
    {"OBESITY", "4431"},
    {"LAP_STOMACH", "4438 4467 4468 5371 5383"},
    {"STOMACH_RESECT", "435 436 437 438 439"},
    {"PYLOROMYOTOMY", "433"},
    {"GASTROSCOPY_THER", "4233 4292 4311 4341 4422 4443 4444 4493 4494 4530 9802 9803"},
    {"GASTROSCOPY", "4222 4223 4224 4412 4413 4414 4512 4513 4514 4516"},
    {"COLONOSCOPY_THER", "4542 4543 4685 9804 4836"},
    {"COLONOSCOPY", "4522 4523 4524 4525 4822 4823 4824"},
    {"STOMACH_OTHER", "430 431 434 440 441 442 443 444 445 446 449 4531 4532 4671 4672"},
    {"LAP_BOWEL_MAJOR", "173 4581"},
    {"LAP_RECTAL", "4842 4851"},
    {"RECTAL_RESECT", "484 485 486"},
    {"BOWEL_MAJOR", "455 456 457 4582 4583 459 4602 4604 4697"},
    {"STOMAL", "464 465"},
    {"BOWEL_MINOR", "450 4515 4526 4533 4534 4541 4549 4601 4603 461 462 463 466 4673 4674 4675 4676 4679 "
                    "468 469 4874 4875 4876"},
    {"LAP_APPENDIX", "4701"},
    {"APPENDIX", "4709 472 4791 4792 4799"},
    {"LAP_HERNIA_ING", "171 172"},
    {"LAP_HERNIA_ABD", "5342 5343 5362 5363"},
    {"HERNIA_ING", "530 531 532 533"},
    {"HERNIA_OTHER", "5341 5349 535 5361 5369 5372 5375 5381 5382 539"},
    {"LAP_ADHESIO", "5451"},
    {"ADHESIOLYSIS", "5459"},
    {"ANAL", "480 481 4821 4825 4835 487 488 489 49"},
    /* hepatobiliary and pancreas */
    {"LIVER_RESECT", "5022 503 504"},
    {"LAP_LIVER", "5025"},
    {"HB_DX", "5012 5014 5019 5113 5119 5212 5219"},
    {"PANC_RESECT", "525 526 527"},
    {"ERCP_THER", "5164 5184 5185 5186 5187 5188 5196 5198 5221 5293 5294 5297 5298"},
    {"CHOLE_LAP", "5123 5124"},
    {"CHOLE_OPEN", "5121 5122"},
    {"BILIARY", "510 513 514 515 516 517 518 519"},
    {"PANC_LIVER_OTHER", "500 502 506 520 522 523 524 528 529 1763"},
    /* musculoskeletal; 77.x/78.x/79.x carry the bone in their last digit */
    {"HIP_REVISION", "0070 0071 0072 0073 8153 8005"},
    {"KNEE_REVISION", "0080 0081 0082 0083 0084 8155 8006"},
    {"HIP_TOTAL", "8151 0085 0086 0087"},
    {"HIP_PARTIAL", "8152"},
    {"KNEE_TOTAL", "8154"},
    {"JOINT_REPL_OTHER", "8156 8159 8173 8180 8181 8184 8188 8197 842 8444"},
    {"SPFUSION", "810 813"},
    {"BACK", "805 8165 8166 846 848"},
    {"MSK_BIOPSY", "774 8321"},
    {"DEBRIDE", "8622 796"},
    {"SKINGRAFT_HAND", "8661 8662 8673"},
    {"FLAP", "867"},
    {"SKINGRAFT", "866"},
    {"ARTHROSCOPY", "802"},
    {"FIXREM_HIPFEMUR", "7765 7865"},
    {"FIXREM", "776 786"},
    {"HIPFEMUR", "77?5 78?5 79?5 8015 8045 8075 8085 8095 8121 8140"},
    {"SHOULDER_FOREARM", "7971 7981 77?3 78?3 79?2 8001 8002 8011 8012 8041 8042 8071 8072 8081 8082 8091 8092 "
                         "8123 8124 8182 8183 8185 8193 8363"},
    {"KNEE", "7976 7986 77?6 78?6 8016 8046 8076 8086 8096 8122 8142 8143 8144 8145 8146 8147 806 8386"},
    {"HUMERUS_TIBIA_ANKLE", "7977 7987 77?2 77?7 78?2 78?7 79?1 79?6 8007 8017 8047 8077 8087 8097 8111 8149"},
    {"WRIST_HAND", "77?4 78?4 79?3 79?4 8003 8004 8013 8014 8043 8044 8073 8074 8083 8084 8093 8094 8125 8126 "
                   "8127 8128 817 82 8685"},
    {"FOOT", "77?8 78?8 79?7 79?8 775 8008 8018 8048 8078 8088 8098 8112 8113 8114 8115 8116 8117 8118 8157 "
             "8194 8384"},
    {"SOFT_TISSUE", "83"},
    /* skin and breast */
    {"MASTEC_TOTAL", "854 8533 8534 8535 8536"},
    {"MASTEC_SUB", "8522 8523"},
    {"BREAST_LOCAL", "8512 8520 8521 8524 8525"},
    {"BREAST_RECON", "857 8584 8585"},
    {"BREAST_PLASTIC", "853 855 856 858 8593 8594 8595 8596 8599 8625 8682 8683 8684 8687 8689 8690 8691 8693"},
    {"PILONIDAL", "8621"},
    /* endocrine */
    {"PITUITARY", "076 077 0713 0714 0715"},
    {"ADRENAL", "070 0712 072 073 074"},
    {"PARATHYROID", "068 0613 0695 0699"},
    {"THYROGLOSSAL", "067"},
    {"THYROID", "060 061 062 063 064 065 069"},
    /* kidney and urinary tract */
    {"KIDNEY_TX", "5561 5569"},
    {"URINARY_DIVERSION", "5651 5652 5671 5672 5673 5771 5779 5786 5787"},
    {"LAP_RENAL", "5534 5903 5912"},
    {"TURP", "6021 6029 6095 6096 6097"},
    {"URS", "5631"},
    {"CYSTO", "5731 5732 5821 5822"},
    {"ESWL", "9851"},
    {"TU_PROC", "560 5741 5749 598"},
    {"KIDNEY_MAJOR", "55 56 576 5783 5784 5785 5788 5789"},
    {"BLADDER_MINOR", "570 571 572 573 575 578 579"},
    {"URETHRA", "58"},
    /* male reproductive */
    {"PELVIC_MALE", "605"},
    {"CIRCUMCISION", "640"},
    {"PENIS", "64 5845"},
    {"TESTIS", "61 62 63"},
    /* female reproductive and obstetric */
    {"EVISCERATION", "688"},
    {"LAP_RADICAL_HYST", "6861 6871"},
    {"RADICAL_HYST", "686 687 715"},
    {"LAP_ADHESIO_F", "6581"},
    {"LAP_UTERINE", "6831 6841 6851 6501 6513 6514 6523 6524 6525 6531 6541 6553 6554 6563 6564 6574 6575 6576"},
    {"TUBAL_ENDO", "662"},
    {"TUBAL_OPEN", "663"},
    {"ECTOPIC", "743 6662"},
    {"DANDC_OB", "6901 6902 6951 6952 7491"},
    {"DANDC", "6909 6812 6816 6821 6822 6823 6959 6995"},
    {"RECON_F", "705 706 7077 7078 692 6998"},
    {"UTERINE_ADNEXAL", "65 66 680 681 682 683 684 685 689 69"},
    {"VAG_CERVIX_VULVA", "67 70 71"},
    {"CSECTION", "740 741 742 744 7499"},
    {"OB_OR", "7394 7399 755 7561 7593 7599 7536"},
    {"OB_NONOR", "72 73 754 756 757 7591 7592 7594"},
    /* blood */
    {"SPLENECTOMY", "412 4133 414 415 419"},
    {NULL, NULL}};

/* Words of DESC that mark a non-OR procedure used in grouping (DRGUSE T)
 * as diagnostic: the "diag proc" of the malignancy DCs.  Compared without
 * case. */
const char *const thai_diag_words[] = {"biopsy", " bx", "bx ", "scopy", "oscop", "ct of", "computed tomo",
                                       "tomogra", "mri", "magnetic res", "scan", "gram", "graph", "x-ray",
                                       "dx proc", "diagnos", NULL};

/* ---- pre-MDC and neonates --------------------------------------------------------- */

const thai_rule thai_premdc_rules[] = {
    {"*", '*', "HEARTLUNGTX", "", "", "", "0002", ""},
    {"*", '*', "LIVERTX", "", "", "", "0001", ""},
    {"*", '*', "BMT", "", "", "", "0004", ""},
    {"*", '*', "TRACH+VENT96", "", "", "", "0010", ""},
    {"03", '*', "TRACH", "", "", "", "0007", "0011"},
    {"*", '*', "TRACH", "", "", "", "0011", ""},
    {"*", '*', "LARYNGECTOMY", "", "", "", "0009", ""},
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL}};

#define NEO_MINOR "VENT96;VENT;NIV;TRANSF;NEOPROC"
#define NEO_CARDIO "VALVE_AO;VALVE_MI;VALVE_PU;VALVE_TR;VALVE_OTH;CABG;CARDIO_OTHER;CARDIO_SIMPLE;CARDIO_ASSIST;MAJORVASC"

const thai_neo_rule thai_neo_rules[] = {
    {'*', NEO_CARDIO, "", -1, -1, -1, "1512"},
    {'*', "@G5-9", "", -1, -1, -1, "1511"},
    {'S', "", "died", 4, -1, -1, "1501"},
    {'U', "", "died", 4, -1, -1, "1501"},
    {'S', "", "transferred", 4, -1, -1, "1501"},
    {'U', "", "transferred", 4, -1, -1, "1501"},
    {'*', NEO_MINOR, "died", 4, -1, -1, "1502"},
    {'*', NEO_MINOR, "transferred", 4, -1, -1, "1502"},
    {'*', "", "transferred", 4, -1, -1, "1550"},
    {'*', "", "died", 4, -1, -1, "1555"},
    {'S', "", "", -1, -1, 999, "1503"},
    {'U', "", "", -1, -1, 999, "1503"},
    {'*', NEO_MINOR, "", -1, -1, 999, "1504"},
    {'*', "", "", -1, -1, 999, "1551"},
    {'S', "", "", -1, 1000, 1499, "1505"},
    {'U', "", "", -1, 1000, 1499, "1505"},
    {'*', NEO_MINOR, "", -1, 1000, 1499, "1506"},
    {'*', "", "", -1, 1000, 1499, "1552"},
    {'S', "", "", -1, 1500, 2499, "1507"},
    {'U', "", "", -1, 1500, 2499, "1507"},
    {'*', NEO_MINOR, "", -1, 1500, 2499, "1508"},
    {'*', "", "", -1, 1500, 2499, "1553"},
    {'S', "", "", -1, -1, -1, "1509"},
    {'U', "", "", -1, -1, -1, "1509"},
    {'*', NEO_MINOR, "", -1, -1, -1, "1510"},
    {'*', "", "", -1, -1, -1, "1554"},
    {0, NULL, NULL, 0, 0, 0, NULL}};

/* ---- surgical hierarchy, per MDC ---------------------------------------------------- */

#define R(mdc, part, procs, pdx, dc) {mdc, part, procs, pdx, "", "", dc, ""}
#define RA(mdc, part, procs, pdx, min, dc) {mdc, part, procs, pdx, min, "", dc, ""}
#define RK(mdc, part, procs, pdx, dc, rank) {mdc, part, procs, pdx, "", "", dc, rank}

const thai_rule thai_surgical_rules[] = {
    /* 01 nervous system */
    RK("01", 'S', "CRANIO", "1R;1S;1T;1W", "0101", "0102"),
    R("01", 'S', "CRANIO", "", "0102"),
    R("01", 'S', "SPINE;SPFUSION;BACK", "", "0103"),
    R("01", 'S', "VSHUNT", "", "0104"),
    R("01", '*', "EXTRAVASC", "", "0105"),
    R("01", 'S', "CARPAL", "", "0107"),
    R("01", 'S', "INTRAVASC", "1F", "0108"),
    R("01", 'S', "INTRAVASC", "", "0109"),
    R("01", '*', "ENDOVASC_NEURO", "", "0114"),
    R("01", '*', "PLASMA", "", "0117"),
    /* 02 eye */
    R("02", 'S', "KERATOPLASTY", "", "0209"),
    R("02", 'S', "ORBIT", "2E", "0210"),
    R("02", 'S', "RETINA", "", "0201"),
    R("02", 'S', "EYEINJURY", "", "0203"),
    R("02", 'S', "ORBIT", "", "0202"),
    R("02", 'S', "LACRIMAL_MAJOR", "", "0213"),
    R("02", 'S', "LENS_MAJOR", "", "0206"),
    R("02", 'S', "LENS_OTHER", "", "0207"),
    R("02", 'S', "INTRAOCULAR", "", "0205"),
    /* 03 ear, nose, mouth, throat */
    R("03", 'S', "HN_RECON", "", "0321"),
    R("03", 'S', "HN_MAJOR", "", "0301"),
    R("03", 'S', "HN_MINOR", "", "0314"),
    R("03", '*', "DENTAL", "", "0312"),
    /* 04 respiratory */
    R("04", 'S', "THORACOSCOPIC_MAJOR", "", "0409"),
    R("04", 'S', "CHEST_MAJOR", "", "0401"),
    R("04", 'S', "THORACOSCOPIC_DX", "", "0410"),
    R("04", '*', "VENT96;VENT", "", "0403"),
    R("04", '*', "NIV", "", "0407"),
    R("04", 'S', "RESP_MINOR", "", "0408"),
    /* 05 circulatory */
    R("05", 'S', "CABG+PERCUT", "5A", "0525"),
    R("05", 'S', "CABG+PERCUT", "", "0503"),
    RK("05", '*', "CABG+CATH", "5A", "0526", "0504"),
    R("05", '*', "CABG+CATH", "", "0504"),
    R("05", 'S', "CABG", "5A", "0526"),
    R("05", 'S', "CABG", "", "0505"),
    R("05", 'S', "CARDIO_ASSIST", "", "0537"),
    R("05", '*', "VALVE_AO+VALVE_MI+CATH", "", "0532"),
    R("05", '*', "VALVE_AO+VALVE_PU+CATH", "", "0532"),
    R("05", '*', "VALVE_AO+VALVE_TR+CATH", "", "0532"),
    R("05", '*', "VALVE_MI+VALVE_PU+CATH", "", "0532"),
    R("05", '*', "VALVE_MI+VALVE_TR+CATH", "", "0532"),
    R("05", '*', "VALVE_PU+VALVE_TR+CATH", "", "0532"),
    R("05", 'S', "VALVE_AO+VALVE_MI", "", "0533"),
    R("05", 'S', "VALVE_AO+VALVE_PU", "", "0533"),
    R("05", 'S', "VALVE_AO+VALVE_TR", "", "0533"),
    R("05", 'S', "VALVE_MI+VALVE_PU", "", "0533"),
    R("05", 'S', "VALVE_MI+VALVE_TR", "", "0533"),
    R("05", 'S', "VALVE_PU+VALVE_TR", "", "0533"),
    R("05", '*', "VALVE_AO+CATH", "", "0501"),
    R("05", '*', "VALVE_MI+CATH", "", "0501"),
    R("05", '*', "VALVE_PU+CATH", "", "0501"),
    R("05", '*', "VALVE_TR+CATH", "", "0501"),
    R("05", '*', "VALVE_OTH+CATH", "", "0501"),
    R("05", 'S', "VALVE_AO;VALVE_MI;VALVE_PU;VALVE_TR;VALVE_OTH", "", "0502"),
    R("05", '*', "PERCUT+MULTIVES", "5A", "0527"),
    R("05", 'S', "PERCUT", "5A", "0529"),
    R("05", '*', "PERCUT+STENT", "", "0523"),
    R("05", 'S', "PERCUT", "", "0524"),
    R("05", '*', "PM_LEAD+PM_GEN", "5A;5C", "0510"),
    R("05", '*', "PM_SYS", "5A;5C", "0510"),
    R("05", '*', "PM_LEAD+PM_GEN", "", "0511"),
    R("05", '*', "PM_SYS", "", "0511"),
    R("05", '*', "AICD", "", "0512"),
    R("05", '*', "PM_LEAD;PM_GEN;PM_REV", "", "0517"),
    R("05", 'S', "CARDIO_OTHER", "", "0506"),
    R("05", 'S', "CARDIO_SIMPLE", "", "0513"),
    R("05", 'S', "MAJORVASC", "", "0508"),
    R("05", 'S', "AMP_MAJOR", "", "0509"),
    R("05", '*', "EPS", "", "0514"),
    R("05", 'S', "VASC_OTHER;GEN_VESSEL;GEN_MINOR_VESSEL", "", "0515"),
    R("05", 'S', "AMP_HAND;AMP_FOOT", "", "0516"),
    R("05", 'S', "VARICOSE", "", "0519"),
    R("05", '*', "STENT_PERIPH", "", "0531"),
    R("05", '*', "CATH", "5A;5B;5C;5J;5K;5L", "0521"),
    R("05", '*', "CATH", "", "0522"),
    /* 06 digestive */
    R("06", 'S', "ESOPH_RESECT", "", "0640"),
    R("06", 'S', "LAP_STOMACH", "", "0627"),
    R("06", 'S', "LAP_RECTAL", "", "0635"),
    R("06", 'S', "STOMACH_RESECT", "", "0630"),
    R("06", 'S', "LAP_BOWEL_MAJOR", "", "0636"),
    R("06", '*', "GI_STENT", "", "0626"),
    R("06", 'S', "RECTAL_RESECT", "", "0604"),
    R("06", 'S', "BOWEL_MAJOR", "", "0603"),
    R("06", 'S', "LAP_HERNIA_ABD", "", "0637"),
    R("06", 'S', "LAP_ADHESIO", "", "0628"),
    R("06", 'S', "LAP_HERNIA_ING", "", "0638"),
    R("06", 'S', "ESOPH_OTHER", "", "0643"),
    R("06", 'S', "STOMACH_OTHER;OBESITY", "6A", "0601"),
    R("06", 'S', "ADHESIOLYSIS", "", "0605"),
    R("06", 'S', "STOMACH_OTHER;OBESITY", "", "0602"),
    R("06", 'S', "BOWEL_MINOR;GEN_STOMY", "", "0608"),
    R("06", 'S', "LAP_APPENDIX", "", "0629"),
    R("06", 'S', "PYLOROMYOTOMY", "", "0615"),
    RA("06", 'S', "HERNIA_OTHER", "", "15y", "0611"),
    RA("06", 'S', "HERNIA_ING", "", "15y", "0610"),
    R("06", 'S', "HERNIA_ING;HERNIA_OTHER", "", "0612"),
    R("06", 'S', "APPENDIX", "6J-APPX", "0632"),
    R("06", 'S', "APPENDIX", "", "0607"),
    R("06", 'S', "STOMAL;ANAL", "", "0609"),
    R("06", '*', "GASTROSCOPY_THER", "", "0616"),
    R("06", '*', "GASTROSCOPY+COLONOSCOPY", "", "0644"),
    R("06", '*', "GASTROSCOPY+COLONOSCOPY_THER", "", "0644"),
    R("06", '*', "GASTROSCOPY_THER+COLONOSCOPY", "", "0644"),
    R("06", '*', "GASTROSCOPY_THER+COLONOSCOPY_THER", "", "0644"),
    R("06", '*', "GASTROSCOPY", "6A;6C;6E;6F", "0619"),
    R("06", '*', "COLONOSCOPY_THER", "", "0623"),
    R("06", '*', "COLONOSCOPY", "", "0624"),
    R("06", '*', "GASTROSCOPY", "", "0621"),
    RK("06", 'S', "*", "6A", "0613", "*"),
    /* 07 hepatobiliary and pancreas */
    R("07", 'S', "PORTAL_SHUNT", "", "0716"),
    R("07", 'S', "PANC_RESECT", "", "0701"),
    R("07", 'S', "BILIARY;CHOLE_OPEN;CHOLE_LAP", "7B", "0702"),
    R("07", '*', "CHOLE_OPEN+ERCP_THER", "", "0704"),
    R("07", '*', "CHOLE_LAP+ERCP_THER", "", "0709"),
    R("07", 'S', "LIVER_RESECT", "", "0715"),
    R("07", 'S', "PANC_LIVER_OTHER", "", "0711"),
    R("07", 'S', "BILIARY", "", "0703"),
    R("07", 'S', "HB_DX", "", "0706"),
    R("07", 'S', "LAP_LIVER", "", "0714"),
    R("07", '*', "ERCP_THER", "", "0708"),
    R("07", 'S', "CHOLE_LAP", "", "0710"),
    R("07", 'S', "CHOLE_OPEN", "", "0705"),
    /* 08 musculoskeletal */
    R("08", '*', "PLASMA", "", "0835"),
    R("08", 'S', "HIP_TOTAL+KNEE_TOTAL", "", "0801"),
    R("08", 'S', "HIP_REVISION", "", "0824"),
    R("08", 'S', "DEBRIDE+SKINGRAFT", "", "0829"),
    R("08", 'S', "SPFUSION", "", "0805"),
    R("08", 'S', "KNEE_REVISION", "", "0825"),
    R("08", 'S', "JOINT_REPL_OTHER", "", "0804"),
    R("08", 'S', "AMP_MAJOR", "", "0807"),
    R("08", 'S', "HIP_TOTAL", "", "0802"),
    R("08", 'S', "HIP_PARTIAL", "", "0823"),
    R("08", 'S', "SPINE;BACK", "", "0806"),
    R("08", 'S', "KNEE_TOTAL", "", "0803"),
    R("08", 'S', "KNEE", "", "0812"),
    RA("08", 'S', "HIPFEMUR", "", "18y", "0810"),
    R("08", 'S', "ARTHROSCOPY", "", "0821"),
    R("08", 'S', "HIPFEMUR", "", "0811"),
    RA("08", 'S', "HUMERUS_TIBIA_ANKLE", "", "18y", "0814"),
    R("08", 'S', "SKINGRAFT;FLAP", "", "0809"),
    R("08", 'S', "MSK_BIOPSY", "", "0808"),
    R("08", 'S', "DEBRIDE", "", "0831"),
    R("08", 'S', "SHOULDER_FOREARM", "", "0813"),
    R("08", 'S', "HUMERUS_TIBIA_ANKLE", "", "0815"),
    R("08", 'S', "SOFT_TISSUE", "", "0820"),
    R("08", 'S', "FIXREM_HIPFEMUR", "", "0818"),
    R("08", 'S', "FOOT;FIXREM;AMP_FOOT", "", "0817"),
    R("08", 'S', "WRIST_HAND;CARPAL;AMP_HAND;SKINGRAFT_HAND", "", "0816"),
    /* 09 skin, subcutaneous tissue and breast */
    R("09", 'S', "MASTEC_TOTAL+BREAST_RECON", "", "0914"),
    R("09", 'S', "SKINGRAFT+DEBRIDE", "9A;9G", "0910"),
    R("09", 'S', "SKINGRAFT+DEBRIDE", "", "0915"),
    R("09", 'S', "FLAP", "", "0911"),
    R("09", 'S', "MASTEC_TOTAL", "9E", "0901"),
    R("09", 'S', "MASTEC_SUB", "9E", "0902"),
    R("09", 'S', "SKINGRAFT;DEBRIDE", "9A;9G", "0905"),
    R("09", 'S', "BREAST_PLASTIC;BREAST_RECON", "", "0908"),
    R("09", 'S', "SKINGRAFT;DEBRIDE;SKINGRAFT_HAND", "", "0906"),
    R("09", 'S', "MASTEC_TOTAL;MASTEC_SUB", "", "0903"),
    R("09", 'S', "BREAST_LOCAL", "", "0904"),
    R("09", 'S', "PILONIDAL;ANAL", "", "0907"),
    /* 10 endocrine, nutritional and metabolic */
    R("10", 'S', "LAP_OBESITY;LAP_STOMACH", "", "1013"),
    R("10", 'S', "PITUITARY", "", "1001"),
    R("10", 'S', "OBESITY", "", "1005"),
    R("10", 'S', "ADRENAL", "", "1002"),
    RA("10", 'S', "AMP_MAJOR;AMP_FOOT", "", "60y", "1003"),
    R("10", 'S', "AMP_MAJOR;AMP_FOOT", "", "1004"),
    R("10", 'S', "PARATHYROID", "", "1007"),
    R("10", 'S', "THYROID", "", "1008"),
    R("10", 'S', "THYROGLOSSAL", "", "1009"),
    /* 11 kidney and urinary tract */
    R("11", 'S', "KIDNEY_TX", "", "1101"),
    R("11", '*', "PLASMA", "", "1115"),
    R("11", 'S', "KIDNEY_MAJOR", "11C", "1103"),
    R("11", 'S', "URINARY_DIVERSION", "", "1118"),
    R("11", 'S', "LAP_RENAL", "", "1117"),
    R("11", '*', "ESWL+URS", "", "1116"),
    R("11", '*', "ESWL+CYSTO", "", "1116"),
    R("11", 'S', "KIDNEY_MAJOR", "", "1104"),
    R("11", 'S', "TURP", "", "1105"),
    R("11", 'S', "TU_PROC", "", "1107"),
    R("11", '*', "URS", "", "1110"),
    R("11", 'S', "PD_CATH", "", "1102"),
    R("11", 'S', "URETHRA", "", "1108"),
    R("11", '*', "ESWL", "", "1112"),
    R("11", 'S', "BLADDER_MINOR", "", "1106"),
    R("11", '*', "CYSTO", "", "1111"),
    R("11", '*', "DIALYSIS", "11A;11B", "1152"),
    /* 12 male reproductive */
    R("12", 'S', "PELVIC_MALE", "", "1201"),
    R("12", 'S', "TURP", "", "1202"),
    R("12", 'S', "PENIS", "", "1204"),
    R("12", 'S', "TESTIS", "", "1203"),
    R("12", 'S', "CIRCUMCISION", "", "1205"),
    R("12", '*', "CYSTO", "", "1208"),
    RK("12", 'S', "*", "12A", "1206", "*"),
    /* 13 female reproductive */
    R("13", 'S', "EVISCERATION", "", "1312"),
    R("13", 'S', "LAP_RADICAL_HYST", "", "1320"),
    R("13", 'S', "RADICAL_HYST", "", "1301"),
    R("13", 'S', "LAP_UTERINE", "13B", "1314"),
    R("13", 'S', "LAP_UTERINE", "13A;13C", "1313"),
    R("13", 'S', "UTERINE_ADNEXAL", "13A;13C", "1302"),
    R("13", 'S', "LAP_UTERINE", "", "1316"),
    R("13", 'S', "LAP_ADHESIO_F;LAP_ADHESIO", "", "1321"),
    RK("13", 'S', "UTERINE_ADNEXAL", "13B", "1303", "1305"),
    R("13", 'S', "UTERINE_ADNEXAL", "", "1305"),
    R("13", 'S', "RECON_F", "", "1308"),
    R("13", 'S', "TUBAL_ENDO", "", "1310"),
    R("13", 'S', "TUBAL_OPEN", "", "1306"),
    R("13", 'S', "VAG_CERVIX_VULVA", "", "1307"),
    R("13", '*', "DANDC", "", "1309"),
    /* 14 pregnancy, childbirth and the puerperium */
    R("14", 'S', "ECTOPIC;UTERINE_ADNEXAL;LAP_UTERINE", "14F", "1412"),
    R("14", 'S', "CSECTION", "", "1401"),
    R("14", 'S', "DANDC_OB;DANDC", "14L", "1411"),
    R("14", 'S', "OB_OR", "", "1402"),
    R("14", 'S', "TUBAL_OPEN;TUBAL_ENDO", "14A", "1407"),
    R("14", 'S', "DANDC_OB;DANDC", "14K", "1410"),
    R("14", 'S', "DANDC_OB;DANDC", "14H;14G", "1405"),
    R("14", '*', "OB_NONOR", "14A", "1408"),
    RK("14", 'S', "*", "14C;14D", "1404", "*"),
    /* 16 blood and immunity */
    R("16", 'S', "SPLENECTOMY", "", "1601"),
    /* 17 myeloproliferative and poorly differentiated neoplasms */
    RK("17", 'S', "*", "17A;17B", "1701", "*"),
    /* 21 injuries and poisoning */
    R("21", 'S', "SKINGRAFT;FLAP", "", "2102"),
    R("21", 'S', "WRIST_HAND;SKINGRAFT_HAND;AMP_HAND;CARPAL", "", "2103"),
    R("21", 'S', "DEBRIDE", "", "2101"),
    /* 22 burns */
    R("22", 'S', "DEBRIDE+SKINGRAFT", "22A", "2201"),
    R("22", 'S', "DEBRIDE+FLAP", "22A", "2201"),
    R("22", 'S', "SKINGRAFT;FLAP", "22A", "2201"),
    R("22", 'S', "DEBRIDE+FLAP", "22B", "2206"),
    R("22", 'S', "SKINGRAFT;FLAP", "22B", "2202"),
    R("22", 'S', "DEBRIDE", "22A", "2205"),
    R("22", 'S', "DEBRIDE", "22B", "2207"),
    /* 23 factors influencing health status */
    R("23", '*', "GASTROSCOPY;GASTROSCOPY_THER;COLONOSCOPY;COLONOSCOPY_THER;CYSTO;URS", "23C", "2303"),
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL}};

/* Rows for an OR procedure of a case with OR procedures none of which is
 * related to its MDC, before the generic MDC 26 rows; read in order. */
const thai_rule thai_unrelated_rules[] = {
    R("17", 'U', "*", "17A;17B", "1701"),
    R("17", 'U', "*", "", "1702"),
    R("18", 'U', "@G5-9", "", "1805"),
    R("18", 'U', "@G4-4", "", "1804"),
    R("18", 'U', "@G3-3", "", "1803"),
    R("18", 'U', "@G2-2", "", "1802"),
    R("18", 'U', "*", "", "1801"),
    R("23", 'U', "@G4-9", "", "2307"),
    R("23", 'U', "@G3-3", "", "2306"),
    R("23", 'U', "@G2-2", "", "2305"),
    R("23", 'U', "*", "", "2304"),
    R("25", 'U', "@G4-9", "", "2504"),
    R("25", 'U', "@G3-3", "", "2503"),
    R("25", 'U', "@G2-2", "", "2502"),
    R("25", 'U', "*", "", "2501"),
    {NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL}};

/* The DC a related OR procedure goes to when no row above names it: the
 * MDC's "other OR procedures" DC where there is one. */
const thai_pair_rule thai_surgical_catchall[] = {
    {"01", "0106"}, {"02", "0208"}, {"03", "0310"}, {"04", "0402"}, {"05", "0520"}, {"06", "0614"},
    {"07", "0707"}, {"08", "0822"}, {"09", "0909"}, {"10", "1010"}, {"11", "1109"}, {"12", "1207"},
    {"13", "1311"}, {"14", "1402"}, {"16", "1602"}, {"17", "1702"}, {"21", "2104"}, {"22", "2207"},
    {NULL, NULL}};

/* ---- medical ------------------------------------------------------------------------ */

/* The DC of a medical case whose principal cluster no family claims. */
const thai_pair_rule thai_medical_catchall[] = {
    {"01", "0168"}, {"02", "0254"}, {"03", "0352"}, {"04", "0464"}, {"05", "0568"}, {"06", "0660"},
    {"07", "0754"}, {"08", "0867"}, {"09", "0953"}, {"10", "1053"}, {"11", "1158"}, {"12", "1254"},
    {"13", "1355"}, {"14", "1452"}, {"16", "1652"}, {"17", "1752"}, {"18", "1864"}, {"19", "1960"},
    {"20", "2054"}, {"21", "2157"}, {"22", "2252"}, {"23", "2354"}, {"25", "2553"}, {NULL, NULL}};

/* DC names whose stem is spelled differently from their family's. */
const thai_pair_rule thai_family_alias[] = {
    {"ns neoplasms", "0152"},
    {"ent & mouth malignancy", "0350"},
    {"pulmonary edema and respiratory failure", "0454"},
    {"digest malignancy", "0650"},
    {"g.i. obstruction", "0656"},
    {"gastroenteritis", "0657"},
    {"intestinal helminth and misc digestive dis", "0662"},
    {"hepatobiliary malignancy", "0751"},
    {"hepatobil mal", "0751"},
    {"pathol fracture and malignancy", "0854"},
    {"malignant breast dis", "0954"},
    {"kub malignancy", "1153"},
    {"malig, male reprod organ", "1250"},
    {"malignancy, male reprod organ", "1250"},
    {"non ovarian/adnexal malig", "1350"},
    {"ovarian/adnexal malig", "1352"},
    {"reticuloendothelial and imm dis", "1652"},
    {"l'ma & non-acute leukemia", "1751"},
    {"other neoplastic dis", "1752"},
    {"oth factors influenc health status", "2353"},
    {NULL, NULL}};

/* The words after " w " or " with " at the end of a medical DC's name
 * that make it the case of a family with a procedure of these clusters
 * ('|' separates alternatives); compared without case. */
const thai_pair_rule thai_proc_qualifiers[] = {
    {"chemo- and radiotherapy", "CHEMO+RADIO"},
    {"chemo- and radiother", "CHEMO+RADIO"},
    {"chemotherapy", "CHEMO"},
    {"radiotherapy", "RADIO"},
    {"diagnostic procedure", "DIAG"},
    {"diagnostic proc", "DIAG"},
    {"diag proc", "DIAG"},
    {"blood transfusion", "TRANSF"},
    {"blood transfus", "TRANSF"},
    {"coag fact transfusion", "COAGF"},
    {"thrombol inj", "THROMBOLYSIS"},
    {"ECT", "ECT"},
    {"CRx & RT or CRx & Dx Proc or RT & Dx Proc", "CHEMO+RADIO|CHEMO+DIAG|RADIO+DIAG"},
    {NULL, NULL}};

/* A DC that also serves a second family: the under-10 gastroenteritis and
 * miscellaneous-digestive DCs are shared. */
const thai_pair_rule thai_family_extra[] = {{"0676", "0658"}, {"0666", "0663"}, {NULL, NULL}};

/* Principal clusters to families (by any DC of the family), for the MDCs
 * where the order of the Thai cluster letters and of the DC names differ,
 * or their counts do; the other MDCs pair them in order. */
const thai_pair_rule thai_cluster_family[] = {
    {"2A", "0251"}, {"2B", "0253"}, {"2C", "0250"}, {"2D", "0254"}, {"2E", "0255"},
    {"6A", "0650"}, {"6C", "0651"}, {"6D", "0654"}, {"6E", "0655"}, {"6F", "0656"}, {"6G", "0657"},
    {"6H", "0666"}, {"6J", "0660"}, {"6J-APPX", "0660"}, {"6K", "0661"}, {"6L", "0662"}, {"6M", "0664"},
    {"6N", "0676"},
    {"14A", "1450"}, {"14B", "1452"}, {"14C", "1451"}, {"14D", "1451"}, {"14E", "1452"}, {"14F", "1453"},
    {"14G", "1454"}, {"14H", "1455"}, {"14J", "1456"}, {"14K", "1457"}, {"14L", "1458"},
    {"18A", "1850"}, {"18B", "1852"}, {"18C", "1854"}, {"18D", "1856"}, {"18D-SHOCK", "1870"},
    {"18E", "1858"}, {"18F", "1860"}, {"18G", "1862"}, {"18H", "1864"}, {"18J", "1866"}, {"18K", "1868"},
    {"23A", "2350"}, {"23B", "2351"}, {"23C", "2352"}, {"23D", "2353"},
    {"25A", "2553"}, {"25A-INF", "2552"}, {"25A-MAL", "2551"}, {"25A-CNS", "2550"},
    {NULL, NULL}};

/* Diagnoses given a cluster of their own inside a Thai cluster, so that a
 * DC the Thai cluster cannot reach becomes reachable. */
const thai_pair_rule thai_dx_cluster[] = {
    {"A972", "18D-SHOCK"},      /* severe dengue: dengue with shock */
    {"B20", "25A-INF"},         /* HIV disease resulting in infections */
    {"B21", "25A-MAL"},         /* ... in malignant neoplasms */
    {"B220", "25A-CNS"},        /* ... in encephalopathy */
    {"K352", "6J-APPX"},        /* appendicitis with generalised peritonitis */
    {"K353", "6J-APPX"},        /* ... with localised peritonitis */
    {NULL, NULL}};
