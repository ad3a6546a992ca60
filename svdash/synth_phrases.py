"""Phrase banks for the SYNTHETIC notice generator (`svdash/synth.py`); not data about any real notice.

`FILLER_SENTENCES` and `TITLES` are sentences and titles copied verbatim from real Contracts Finder OCDS releases
(England, 2022 and 2025 samples in ../shared/data/notices/notices.csv; Crown copyright, Open Government Licence v3.0),
picked at random (seed 7) among sentences of 50–350 characters without contact details or social-value wording.
The social-value banks copy the real phrasings of applied, dismissed and incidental ("none") cases from the
Public Contracts Scotland / Sell2Wales notices and the English council passages (../shared/data/passages);
entries marked "constructed" follow the PPN 06/20 / National TOMs wording and are not quotes.
The generator recombines them at random, so every synthetic notice is fiction built from real phrasing.
"""
from __future__ import annotations

# Social value applied, no weighting stated (real phrasings; {council} is filled with a buyer's short name).
APPLIED = [
    "Community benefits are included in this requirement.",
    "Under the terms of this contract the successful supplier(s) will be required to deliver Community Benefits in "
    "support of the authority's economic and social objectives.",
    "It is a contract condition that the contractor delivers community benefits as part of this Contract.",
    "Community Benefits suggested by the successful bidder and agreed by the Council shall be incorporated into the "
    "contract.",
    "Please refer to the separate TOMS Social Value Guidance in the attachment area.",
    "{council} Social Value Measures will be used for this contract, largely based on the TOM's Social Value model.",
    "Social value will be mandatory in all contracts £100,000 and over.",
    "This includes incorporating Social Value requirements within relevant procurement exercises, assessing "
    "suppliers' proposals as part of tender evaluations, and monitoring delivery through contract management "
    "arrangements where applicable.",
    "As part of this tender, the service provider is requested to consider how they can improve the social, "
    "environmental and economic wellbeing of the area in which it operates, through the use of community benefits.",
    "The Community Benefits included in this contract are: Social Value as per the tender documents (Appendix 1)",
    "The Community Benefits included in this contract are: A Community Benefits Question will be inserted as part "
    "of the quality questions.",
    "Bidders are required to submit a proposal in relation to Community Benefits, no template is provided for "
    "submissions.",
    # constructed (PPN 06/20 / National TOMs wording)
    "Social value will be evaluated using the National TOMs framework as part of the quality assessment.",
    "Bidders will be asked to respond to a social value question in line with PPN 06/20.",
]

# Social value applied with a stated weighting ({pct} is filled with the percentage).
WEIGHTED = [
    "To agree that all tendered contracts above £100,000 have a minimum of {pct}% of the total score allocated to "
    "Social Value.",
    "For all contracts worth £100,000 or more, we apply a minimum of {pct}% weighting for social value within the "
    "evaluation questions we ask as part of our procurement process.",
    "Criteria Technical Weighting Community Benefits Proposal Including a breakdown of Community Benefits Points to "
    "be provided {pct}%",
    # constructed
    "Social Value will account for {pct}% of the overall evaluation, assessed using the National TOMs.",
    "The evaluation will be based on Price 60%, Quality {q}% and Social Value {pct}%.",
]

# Social value considered and dismissed for this procurement (real phrasings; {reason} filled from REASONS).
DISMISSED = [
    "The Contracting Authority does not intend to include any community benefit requirements in this contract for "
    "the following reason: {reason}",
    "It is not thought to be feasible for operators to offer community benefits in a tender of this nature.",
    "Social value is not applicable to this procurement.",
]
DISMISSED_REASONS = [
    "Not required", "1 year agreement", "Call off will be lower value",
    "The overall estimated value will be below the threshold for community benefit requirements.",
]

# Incidental mentions that neither apply nor dismiss social value (label: none) — the hard negatives.
INCIDENTAL = [
    "Having the best educators supervising and motivating trainees will in turn support the best possible care for "
    "patients across the region, delivering social value.",
    "The Contracting Authority does not intend to include a sub-contract clause as part of community benefits (as "
    "per Section 25 of the Procurement Reform (Scotland) Act 2014) in this contract for the following reason: Not "
    "required",
    "Include evaluation criteria that measure the performance of bidders in areas where the benefits of paying the "
    "Living Wage will be demonstrated.",
    "Approval granted for the cost quality ratio for the tender evaluation be 60:40.",
    "That Cabinet approves the evaluation criteria of 80% cost and 20% quality;",
    "Compliant tenders will be evaluated using a pre-specified scoring mechanism and in accordance with the "
    "weighting detailed in the tender documents.",
    "The Council does not specifically record details of award criteria that has been used, relating to the Social "
    "Value (Public Services) Act 2012.",
    "It is extremely rare for a tender to be evaluated on price alone.",
]

# Structured award criteria (Find a Tender, award criteria breakdown extension): social value criterion names.
SV_CRITERION_NAMES = ["Social value", "Social Value (National TOMs)", "Community Benefits Proposal",
                      "Social value and sustainability"]
QUALITY_CRITERION_NAMES = ["Quality", "Technical", "Technical and quality", "Service delivery", "Methodology"]

# Non-council buyers (real public bodies; buyer_kind=other): NHS, universities, consortia, police, fire,
# academies, central government.
OTHER_BUYERS = [
    "Leeds Teaching Hospitals NHS Trust", "Manchester University NHS Foundation Trust", "NHS England",
    "NHS Shared Business Services", "Guy's and St Thomas' NHS Foundation Trust", "Health Education England",
    "University of Manchester", "University of Leeds", "University College London", "The Open University",
    "UK Research & Innovation", "ESPO", "YPO", "Crown Commercial Service", "NEPO", "Welland Procurement",
    "Metropolitan Police Service", "West Midlands Police", "Greater Manchester Fire and Rescue Service",
    "Harris Federation", "United Learning Trust", "Oasis Community Learning", "Ministry of Defence",
    "Ministry of Justice", "Department for Education", "Home Office", "Natural England", "Environment Agency",
    "Foreign Commonwealth and Development Office", "Transport for London", "Clarion Housing Group",
    "Greater Manchester Combined Authority", "Peak District National Park Authority", "Norse Commercial Services",
]

FILLER_SENTENCES = ["A bidder's event will be held on Teams, on the 26th October 2022 between 11am and 12pm, Please register your "
 'interest through pro-contract.',
 'A new community-based offer will include access to psychological therapies, improved physical health care, '
 'employment support, personalised and trauma-informed care, medicines management and support for self-harm and '
 'coexisting substance use.',
 'Accordingly, this is provided for bidders information only.rnrnAn eAuction process may be used to award subsequent '
 'call off contracts following the reopening of competition among the parties to the Framework Agreement.',
 'Additional information: If you are interested in tendering please click on the following link to access Birmingham '
 "City Council's tender Portal.",
 "Additional information: Please visit North Northamptonshire Council's e-Procurement Portal via the below link to "
 'apply for this opportunity and to access the tender documentation.',
 'Additional information: Prices must be submitted in £ sterling, inclusive of VAT.',
 'All Bidders wishing to participate must complete and submit Bids that comply with the requirements set out in the '
 'ITT document.',
 'All procurement responses must be carried out via the Sandwell MBC In-tend Supplier Portal.',
 "An organisation needs to design and deliver 'train the trainer' style training on reducing restrictive practice "
 'for young people in acute paediatric wards.',
 'And the majority of work will be collaborative, with Delivery Partner staff working alongside Ofwat staff within '
 'multiple policy work-streams.',
 'Any deviation from this intention will not be a material change under PCR 2015 Regulation 72.',
 'Any expenditure, work or effort undertaken prior to contract award is accordingly a matter solely for the '
 'commercial judgement of your organisation in doing so.',
 "As a result, we've developed innovative ways to build our communities and transform our Council.",
 'As a user of the Jaggaer eSourcing Portal you will have access to the Jaggaer messaging service which facilitates '
 'all messages sent to you and from you, as well as other messages and updates in relation to any specific tender '
 'event.',
 'As part of Ports of Jersey ongoing aim to serve our community and the economy that supports it, we have a '
 'responsibility to the environment, to our community, to our customers, to our partners and to our employees.',
 'As part of our early market engagement, we are issuing this Request for information to understand supply market '
 'capability and perspectives.',
 'As part of this process the consultant will evaluate the progress of the project and report on their findings '
 'throughout the duration of the project with the final report to be issued to the client at the end of the scheme.',
 'As this is as a result of an unforeseen circumstance, there are a higher than normal number of patients who '
 'require remedial work due to interrupted treatment.',
 'Asset Management, Programme Management, Energy Data and Options Appraisal Software and associated support and '
 'consultancy.',
 'Assistance is required at specific times of the year to sell car parking products.',
 'BEIS also requires news and commentary comprehensive coverage of critical mineral markets including regular '
 'analysis of topical market issues, key price drivers, important market developments, related news and key '
 'uncertainties going forward.',
 'BEIS is holding the early market engagement session to discuss the critical minerals data subscription as a '
 'priority, but also a potential wider subscription offering.',
 'Bidders are requested to review the contents of the ITT guidance document carefully, register their organisation, '
 'and express their interest in the ITT via the e-tendering portal (ProContract).',
 'Bidders are required to complete the online questionnaire on procontract and upload any attachments as indicated '
 'before the deadline for submission of bids specified in the ITT document.',
 'Birmingham City Council (the Council) is seeking for organisations to conduct an evaluation report for our Better '
 'Mental Health Fund projects.',
 "Birmingham City Council's trade waste service currently offers a waste sack collection service to its commercial "
 'customers who are producers of small amounts of waste.',
 'Blackpool Council is looking to appoint a suitably experienced and qualified remedial works contracting firm in '
 'order to undertake remedial works for the maintenance and refurbishment of the Blackpool Tower steel structure '
 'which consists of an initial remedial package of works as out lined in the tender documents.',
 'Both have been previously deployed to cut the work piece, but further development of those technologies is needed.',
 'Bradford Teaching Hospitals NHS Foundation Trust (BTHFT) requires funeral services, namely burials, cremations, '
 'transport of deceased from all trust sites to Bradford Royal Infirmary Mortuary, and transport of paediatric '
 "pathology to and from Sheffield Children's Hospital.",
 'Bridging contract for the Managed Service Provider for Contingent Labour.',
 'By Delivery Partner we mean a flexible, efficient resourcing solution, that is capable of being adapted to respond '
 'to changing requirements throughout the period of the contract.',
 'Changing suppliers is not possible for economic and technical reasons, such as interoperability and '
 'interchangeability of data collection, and would be a substantial duplication of costs.',
 'Children and young people residing in safe accommodation are offered up to twelve therapeutic 1-1 direct work '
 'sessions.',
 "Click 'Login and Register interest in this opportunity' 6) You will be able to access the tender and tender "
 'documentation.',
 "Click 'My Response' under 'PQQ/ITT Details', you can choose to 'Create Response' or to 'Decline to Respond' "
 '(please give a reason if declining).',
 'Commercial Procurement Services seeks to introduce a new Framework Agreement which will allow NHS Trusts to '
 'procure legacy information integration and management solutions.',
 'Commissioners are looking for a Provider who can provide ADHD assessment, diagnosis and treatment and commit to '
 'patients being transferred back to their GP, under shared care arrangements.',
 'Commissioners are not seeking a service that provides patient choice, they are explicitly looking for a Single / '
 'Lead Provider to work in partnership with the Secondary Mental Health Provider to reduce their waitlist.',
 'Contract for the education and training of the health and social care workforce.',
 'Contract was procured by direct access agreement to CCS framework RM6071.Quotes and print output are provided by '
 'print providers registered on the portal.',
 'Corserv Solutions Ltd Cormac division are seeking to appoint a suitably qualified and experienced contractor to '
 'supply and install raised planters in Truro.',
 'Critically, it is an arrangement that brings additional resource into Ofwat that is able to successfully integrate '
 'into our internal delivery effort.',
 'Currently undertaken study focuses on cutting of a complex, nonradioactive component.',
 'DN522479 To evaluate the journey through the FCP Primary Care MSK Roadmap from both a supervisor and trainee '
 'perspective.',
 'Dedicated ROSA devices including laptop/tablet, external peripherals including secure tokens, wireless access and '
 'a service charge to maintain the Rosa service.',
 'Dementia is one of the main causes of disability in later life.',
 'Design and build a net new AVD environment dedicated to external contractors using the licensingrnavailable via '
 'the NHS shared tenancy - Microsoft E5.',
 'Direct award for Levelling up fund bid writing support.',
 'Due to security reasons, access to further project specific information is restricted.',
 'Due to technical issues with the new procurement portal the deadline for submission has been extended.',
 'During the period 2021-2022, the Council received funding from Public Health England (PHE) now known as Office for '
 'Health Improvement and Disparities (OHID) to improve the mental health and wellbeing of Birmingham residents by '
 'commissioning a portfolio of projects to address the demand for mental health services and tackle inequalities.',
 'ESPO Trading Limited may enter into the second framework agreement with the successful supplier and make it '
 'available to third sector clients who themselves are not required to follow the Public Contracts Regulations 2015 '
 'or other public procurement legislation.',
 'Equans Services Limited on behalf of North East Lincolnshire Council, are seeking a suitable qualified contractor '
 'to design, supply and installation of the electrical switchgear and sub mains to various Depot buildings and '
 'ancillary areas within Doughty Road Depot.',
 'Experienced suppliers are invited to submit Tenders for the framework agreement, which will encompass Planned and '
 'Responsive Works and Services as defined by the CPV codes set out in the Contract Notice.',
 'Extension option for 3 months included in the contract.',
 'FCDO has awarded a contract for delivery of Monitoring, Evaluation and Learning services for its Tackling Deadly '
 'Diseases in Africa Programme Phase II (TDDAP2 MEL).',
 'For avoidance of doubt, year 1 of this requirement is cloud based, with the intention to move to an on-premises '
 'solution in year 2 for the remainder of the contract.',
 'Full details can be found in the ITT document and also the Appendix A Design Brief.',
 'Further details and the tender documents can be download from the link below.',
 'Furthermore, the evaluation should explore the impact of the fund on participants, providers, and provision with '
 'the aim of outlining recommendations for the development of future programmes and commissions.',
 'GBC required a suitable qualified and experienced supplier (with Local Authority service delivery experience and a '
 'member of the Master Locksmiths Association to lock and unlock various sites across Guildford.',
 'HEE is aiming to commission multiple education providers to deliver practitioner training against the national '
 'curriculum for CAT.',
 'HS1 is now ready to progress to design and operational concept feasibility stage (RIBA2) to design, deliver and '
 'operationalise a reconfigured ground floor operation of the International Zone delivering a significant uplift in '
 'passenger capacity that meets forecast requirements until at least 2035 and potentially 2040.',
 'Health Education England (HEE) has been working with stakeholders to develop a national curriculum for CAT.',
 'Health Education England, working across the Midlands has undertaken to develop a strategy that oversees the '
 'delivery of flexible high-quality training for all supervisors within the region which meets the GMC Recognition '
 'of Trainers project requirements.',
 'However, the Digital Spine feasibility study, which included engagement with over 100 stakeholders, identified '
 'that insufficient data interoperability is a key barrier to data sharing within the energy industry.',
 'However, with the advent of Covid-19, partnered with an exponential increase in referrals, Commissioners need to '
 'commission a service to assist with the current wait list.',
 'Identifying all the conservation actions needed, joined up with other key environmental initiatives and policies '
 '(such as Local Nature Recovery Strategies - LNRS, the Environmental Land Management System - ELMS, and '
 'Biodiversity Net Gain - BNG), and adaptive so that they can be implemented to best effect to help recover species.',
 'If interested, you should download and carefully read the documents contained within the zip file or by following '
 'the link.',
 'In Order To View the On-Line Questionnaire and Submit a Tender, you will be required to` Opt-In`.',
 'In order to meet the timeframes to appoint a candidate.',
 'In total there will be no more than 216 cases in Active Treatment or needing new case starts and no cases in '
 'Supervised Retention.',
 'Increasingly this planning is integrated with partner organisations and in particular Housing and Health.',
 'Innovative scalable net zero businesses and solutions are needed to reach our net zero targets, however there is a '
 'market failure that will prevent many of them from reaching maturity.',
 'Interested organisations should ensure that they allow a sufficiency of time, prior to the deadline to allow all '
 'sections to be completed in full and any attachments to be uploaded.',
 'International Deep-Sea Mining (IDSM) for CM (Critical Minerals), minerals with high economic vulnerability and a '
 'high global supply risk, is an area of international interest with multiple state actors sponsoring exploratory '
 'studies in the Clarion Clipperton Zone (CCZ) of the mid Pacific.',
 'It comprises of 169 self-contained general needs flats.',
 'It will also allow test results to be related to specific requirements to show if they have been met.',
 'JNCC wishes to commission a contract to undertake the analysis of seabed imagery (still images and video) '
 'collected on the 0922S survey from drop frame camera (DC).',
 'LLA is inviting proposals from Car Parking Consolidators (within the contract and this document, also defined as '
 "'Suppliers') to drive incremental car parking bookings for LLA.",
 "LLA requires the winning bidders to integrate with LLA's e-commerce API to obtain products and pricing, and to "
 'ensure cancellation criteria are met.',
 'LOT 2 A Quality Control/Quality Assurance ( QC/QA), consultant to advise on our process and generate documentation '
 'and reports suitable for submission to our regulatory authority and to produce suitable SOPs for day-to-day use '
 '(VMD).',
 "Leeds City Council ('the Council') is looking to commission a Strategic Housing Market Assessment (SHMA) from "
 'professional consultants.',
 'Legal advice / advocate to support advise and act for the Council in a public inquiry.',
 'Legal services in connection with contract issues and disputes.',
 'Liaise with Gamma irradiation company to test pilot batch for dosimetry, microbiological and particulate testing.',
 'Lincolnshire County Council is undertaking procurement for a Domestic Abuse Support Service under the Light Touch '
 'Regime, pursuant to Regulation 76(7) of the Public Contracts Regulations 2015 (PCR).',
 'Locations to be confirmed but likely to be Peterborough, London or Bristol (or a combination).',
 'London borough of Merton require a Digital Engagement and Consultation tool.',
 'Lot 1 - Toolkit for Businesses: To develop a best-in-class holistic toolkit for suppliers encompassing National '
 'Accessible Tourism Standards.',
 'Lot 2 - Toolkit for Destinations: To develop a best-in-class holistic toolkit for destination managers '
 'encompassing an Accessible Tourism Itinerary toolkit.',
 'Lot 3 - Accessibility Features Question Set: develop a top accessibility features question set for adoption by '
 'websites that list tourism products.',
 "Manage customer complaints in line with VIVID's Complaints Policy 6.",
 'Mini-competition/Further competition under Lot 3 of the Councils Framework Agreement.',
 'NHS England has awarded a contract to NAPC Services Ltd for the provision of a community/primary care based, '
 'holistic lower-leg wound care programme.',
 'NHS Supply Chain seeks to establish a framework agreement for the supply of - Minimally Invasive Surgery '
 'Instruments and Equipment and Maintenance Services.',
 'Natural England needs to further consider the potential scope of Species Conservation Strategies (SCS) and the '
 'range of possibilities for using this new legal tool to best effect to help recover nature.',
 'North West London Integrated Care Board (ICB) seeks the views of Providers in commissioning for the provision of '
 'local community beds (step-up, step-down rehabilitation) for a wide range of conditions which are located in '
 'acute, intermediate care and community facilities.',
 'Noting that as an emergency service 24/7, availability is crucial.',
 'Only this date and time will be made available for internal inspection.',
 "Organisations wishing to take part in this project are invited to 'express an interest' and also 'opt in' which "
 'will give access to the full procurement documents in the e-tendering system.',
 'Our aim is to appoint a provider of internal audit services commencing April 2023.',
 "Our ambition is to be the UK's healthiest, most sustainable, inclusive and growing economy.",
 'Our broad range of expert services is shared by our customers.',
 'Oxfordshire County Council (OCC) invites quotations for the provision of services to deliver enhanced multi-agency '
 'training which will increase levels of knowledge and skill for a wide range of professionals to respond to '
 'domestic abuse.',
 'Please ensure that where possible documents are uploaded as a PDF and that file names are succinct.',
 'Please ensure you allow sufficient time to upload all of your response.',
 'Please ensure you review all attached information to ensure a full understanding of this requirement.',
 'Please note that any and all information secured outside of the messaging service, shall have no Legal Standing, '
 'merit or worth and should not be relied upon by any organisation submitting a tender response.',
 'Please note that these services and any forthcoming tender exercises are pending approval and sign off by Derby '
 'and Derbyshire ICB.',
 'Please note the estimated value is based on all extension being granted.',
 'Please note, this is a rerun of a previously withdrawn tender reference 226904.',
 'Please note, this rate is offered at this time in an exceptional circumstance, and future offers for orthodontic '
 'closedown agreements will revert to the National Tariff rate of £662.00 per patient.',
 'Please refer to attached MOD DSP RFI document for further details including how to respond.',
 'Please review Appendix A and the tender documentation for additional information.',
 'Please view the specification document for more details.',
 'Previously this was funded through the Community Safety Fund allocated to the Community Safety Partnership from '
 'the Office of the Police and Crime Commissioner, however since 2022 it has been funded through DMBC Domestic Abuse '
 'funding, with a continued contribution from Public Health.',
 'Priorities have been identified through robust intelligence gathered through delivery of previous and existing '
 'programmes, data, reports, and gaps identified through our other services, such as Skills Connect.',
 'Procurement Policy Note 09/21 requires us to calculate the value of contracts inclusive of VAT, however we can '
 'advertise them exclusive of VAT.',
 'Provide advice and guidance to parents and carers on how they can support their children with their learning and '
 'dealing with exclusions.',
 'Quarterly provision of fuel to the British Embassy in the secure International Zone in Baghdad, Iraq, over a 3 '
 'year period with an additional 2 year extension.',
 'Queries received after this date will not be accepted and will not be responded to.',
 'Renewal of a national framework for the outright purchase of a wide range of specialist vehicles.',
 'Renewal of floor coverings to various Academic & Residential Blocks and including agreed rates for any ad hoc '
 'additional works for a period of 36 months.',
 'Reporting to the Cornwall Serious Violence Programme Steering Group, this role will provide dedicated coordination '
 "and support to Cornwall's Serious Violence Prevention Programme to ensure focus and quality of delivery of the "
 'programme being delivered across two years of funding.',
 'Rochford District Council is inviting suitably experienced bidders to tender for the installation and repair of '
 'various pathways around Cherry Orchard Jubilee Country Park (The Country Park) and Hockley Woods and other Council '
 'owned estates over the next 5 years subject to funding.',
 'Separate procurement exercises are taking place for the provision of top-up/refresher training for existing '
 'Trainers.',
 'Separate procurement exercises are taking place for the provision of training for new Trainers.',
 "Sheffield City Council staff provide the Reception, Mortuary and Coroner's support services.",
 'Should there be the need for such a requirement the successful bidder will be asked to provide a price and quality '
 'response for the work specified however the Council reserves the right to seek other bids to enable value for '
 'money to be achieved.',
 'Site Visits if required by suppliers must be booked in advance, these will be held 2nd & 3rd November 2022.',
 'Skanska Construction UK Limited is undertaking the replacement of a rail bridge over the M6 motorway by Clifton, '
 'Penrith.',
 "Some of the future planning will be a consideration of whether a 'digital pathway' could assist with meeting "
 'future demands.',
 'Specifically - Identification of users: o Categorised into user groups; o Definition of desired user journeys o '
 'Understanding current user journeys - Understand the problem to be solved, including: o Identifying any '
 'constraints associated with making changers to the service, e.g.',
 "St Bede's is a thriving Catholic Middle School in Redditch, Worcestershire with a fantastic reputation for "
 'ensuring pupils thrive in all areas of their lives.',
 'Suppliers may be asked to complete a short questionnaire as part of this market testing.',
 'Support to Home Office (Asylum & Protection Directorate) to provide extended capability to the ICAT tool.',
 'Thame Town Council is seeking tenders from suitably qualified companies for the design, installation, attendance '
 'at switch-on event, maintenance, removal and storage of Christmas lights for Thame.',
 'The Alliance can be defined as a network of providers delivering victim/survivor support in collaboration with '
 'each other to achieve better outcomes for victims/survivors of sexual violence across London.',
 'The Authority is seeking tenders from specialists in the provision of training courses for Educational and '
 "Clinical Supervisors hereafter referred to as 'Trainers'.",
 'The Authority seeks to contract with one Contractor for the installation of Christmas lights (Authority owned '
 "lights) and removal for storage at the Council's Depot site in Chertsey.",
 'The Authority wishes to award a contract for Representative Body for Adult Social Care ("the Contract").',
 'The BNF Volumes are distributed annually across the English NHS and other eligible prescriber groups.',
 'The City are currently considering options regarding procurement strategy for the project (e.g.',
 'The City of Bradford Metropolitan District Council require a suitably experienced Contractor to undertake the '
 "measurement, supply and fit of handrails per the council's specification at private domestic properties.",
 'The City of London Corporation in collaboration with City of London Police (COLP) has identified a need for a new '
 'facility in the East of the City that complements other ongoing changes to the existing City of London Police '
 'Estate, including creation of a major new Police Headquarters facility in Salisbury Square.',
 'The Clean Neighbourhoods and Environment Act 2005 give Local Authorities sole responsibility for the collection of '
 'stray dogs.',
 'The Commencement Date for the delivery of the services is scheduled to be on Tuesday 1st April 2025 at 00:00 '
 'hours.',
 'The Community Safety Team, with a contribution from Public Health, has commissioned a Domestic Abuse Specialist '
 'Community Support Service since 2014.',
 'The Contract is for a Supplier to deliver a proof of concept for using novel data sources (including mobile data, '
 'GPS, surveys or a combination of data sources) to produce an analysis of transport behaviours of different groups '
 'of transport users identified through cluster analysis, and how those change geographically.',
 'The Contract will be awarded for a period of 1 year until Tuesday 31st March 2026, with an option to extend for a '
 'further 1 year period subject to funding and the absolute discretion of the Council.',
 'The Contract will commence on 9 December 2022 and will run for up to three years from the Commencement Date.',
 'The Contractor shall utilise the units within this contract and/ or source out of borough services for all '
 'Sandwell cases who need to be placed out of Sandwell either for their safety or if there is no availability in the '
 'Sandwell services.',
 'The Council invited further competition responses for the supply of services in respect of the supply of '
 "reprographics equipment for Bassetlaw District Council's Corporate Print Unit is due to expire and we are now "
 'seeking to replace our existing two machines which are 100page per minute mono device and 70 page per minute '
 'colour device.',
 'The Council is looking to commission the domestic abuse service for the borough.',
 'The Council require a Provider to manage and provide Crowd Management & Stewarding services for the weekend '
 'closure on Claypath, Durham.',
 'The Council required a suitably qualified and experienced lift contractor to provide lift servicing, breakdown and '
 'repair (including occasional major component replacement due to obsolescence, DDA and compliance updates etc.) to '
 'the Council.',
 'The Council requires a supplier for the provision of a Summative Assessment to evaluate the processes and outcomes '
 'of the Ward End Park Lakeside Renewal Project.',
 'The Council requires an independent project evaluation to be undertaken in line with the ESIF-GN-1-033_ ERDF_ '
 'Summative_ Assessment_Guidance.',
 'The Family Innovation Fund enables ECC to work with its partners in the voluntary and community sector to deliver '
 'good outcomes as early as possible.',
 'The GDC has the option to extend the duration of the contract by up to 12-months.',
 'The GDC is looking to appoint a suitably qualified supplier to provide Health and Medical Assessment Services for '
 'Dental Professionals in relation to Fitness to Practise Cases.',
 'The GDC is the UK-wide statutory regulator of around 115,000 members of the dental team, including over 42,000 '
 'dentists and 73,000 dental care professionals (DCPs) - dental nurses, clinical dental technicians, dental '
 'hygienists, dental technicians, dental therapists, and orthodontic therapists.',
 "The GMC uses the Academy of Medical Educators' Professional standards for medical, dental and veterinary educators "
 '(2014) as the criteria against which all trainers in recognised roles must provide evidence of their ongoing '
 'professional development.',
 'The Highway Maintenance and Management PFI (HMMPFI) contract is the primary means through which the council '
 'discharges its statutory duties (predominantly under Highways Act, 1980 and New Roads and Streetworks Act, 1991) '
 'to maintain public highways for which it is the relevant authority.',
 'The ICB has instructed NWLPS to act as their procurement representative, therefore, any communications during this '
 'market engagement stage is on behalf of the ICB.',
 'The Invitation to Tender (ITT) is being carried out under the Light Touch Regime allowed within The Public '
 'Contract Regulations 2015, Reg 74 to 77 and therefore applies the flexibilities afforded under above regulation.',
 'The Mayoral Priority Skills Fund (MPSF) was created to provide flexible grant funding to meet current priority '
 'skills gaps in the region.',
 'The Medico-Legal Centre, purpose built to provide facilities and services required for the investigation of sudden '
 'or unexpected death, comprised the offices and court of HM Coroner for South Yorkshire West District, the '
 'Sheffield public mortuary and the Forensic Pathology and Legal Medicine Department of the Forensic Science '
 'Service.',
 "The Operational Energy Authority's - Defence Fuels Technical team have a requirement to ensure that products "
 'provisioned by the Authority are fit for purpose and will meet operational requirements, by conducting quality '
 'assurance testing of fuels, lubricants, and associated products .',
 'The Plot will benefit from extensive communal areas and 19 no.',
 'The SSRO is seeking to appoint a website re-design on a new platform, development and maintenance contract '
 'provider.',
 'The Solar canopy project provides an average Reduced Data Standard Assessment Procedure (RDSAP) uplift of 8 to 11 '
 'points, and targets dwellings which may be identified as not suited to traditional roof mounted solar PV due to '
 'roof size, orientation and obstacles.',
 "The Tender documents can be accessed when logged into In-Tend by selecting 'View Details' on the relevant tender "
 "advert and clicking the 'Express Interest' tab.",
 'The Trust envisages that this work should cost no more than GBP120,000.',
 'The University had a requirement for the purchase of a high-speed camera.',
 "The University of Birmingham's Occupational Health team (OH) provides occupational health advice to all University "
 'employees, work-relevant requirements for students (particularly research Post-grad courses) and a couple of small '
 'business enterprises with links to the University.',
 'The University of Worcester is looking to appoint a broker to assist and provide advise on all aspects relating to '
 'insurance of the University of Worcester.',
 'The above scheme is being implemented by Durham County Council in partnership with the Durham Constabulary.',
 'The aim of the RFI is to help inform future contracting opportunities for a potential tender and to gauge the '
 'interest and ability of suppliers to provide this service.',
 'The barrier is to be installed to the required height and length, using materials designed to meet acoustic '
 'performance standards and wind load requirements.rnrnFull details and specifications will be provided to the '
 'successfully shortlisted suppliers.',
 'The catering kitchen remains in the KS2 block and we now wish to relocate this kitchen into the KS1 block.',
 'The construction of a new pedestrian bridge that incorporates and extreme starter ramp for kayaks, which is a new '
 'Olympic sport being introduced in 2024.',
 'The contract is with Birmingham Highways Ltd (BHL), which delivers the Services through a subcontractor.',
 'The contract will automatically terminate on either the expiry date or on reaching the maximum contract value, '
 'whichever occurs first.',
 'The contract will be available for use for the following public bodies to utilise in Nottinghamshire and '
 'Derbyshire.',
 'The contract will be for an initial 4 year period with an option to extend for up to 1 year equating to 25% of the '
 'original.',
 'The contract will be for an initial term of 5 years with optional extensions of a maximum further 5 years.',
 "The contract will run from 1st April 2025 for 5 years, with the potential for an additional up to 24 months' "
 'extension.',
 "The core and data centre network is a key part of the University's data network that is relied upon for the "
 "delivery of learning, teaching and business operation of the University's staff and 12,500 full and part time "
 'students.',
 'The core component of the campaign will be a website to communicate the Atom Valley opportunity to our target '
 'audiences.',
 'The council has a statutory duty to provide a stray dogs service, that being the collection of any dog reported as '
 'stray within the authority 24 hours a day, 365 days per year.',
 'The course provides mental health professionals with competence as a psychological therapist in the full use of '
 'CAT with individuals and, with appropriate supervision, contextual CAT and CAT in client groups.',
 'The course takes a minimum of two years to complete and is assessed, leading to accreditation as a CAT '
 'Practitioner and eligibility for full membership of Association of Cognitive Analytic Therapy (ACAT).',
 'The deadline for RfQ submissions is 12:00pm on Monday 7th November 2022.',
 'The deadline for clarification questions is 15:00 Monday 10th October 2022 which must be generated via the '
 'correspondence option on the website.',
 'The deadline for clarification questions is MONDAY 3RD OCTOBER 2022 at NOON which must be generated via the '
 'correspondence option on the website.',
 'The deadline for returned submissions is WEDNESDAY 5TH OCTOBER 2022 at NOON Please note late returns will NOT be '
 'permitted.',
 'The decision will be made by STFC in year 1 of the agreement, in consultation with the supplier.',
 'The discount will apply in perpetuity meaning that generations of new buyers and the local community will benefit '
 'from affordable housing.',
 'The engagement, involvement and ownership of the memorial by the people of Sheffield is a fundamental part of this '
 'project and we are particularly looking for an artist with experience of working with under-represented '
 'communities to create work in the public realm.The memorial will be sited within Balm Green Gardens in Sheffield '
 'City Centre.',
 'The evaluation should increase understanding of the impact of the Better Mental Health Fund on the mental '
 'wellbeing of the Birmingham population.',
 'The evaluation will ensure useful learning is provided for the MCA but also that we well prepared to submit '
 'evidence of impact to the Government as part of future Gateway Review processes.',
 "The exhibition will also highlight the Royal Navy's continued involvement in science at sea, in the context of the "
 'Challenger legacy.',
 'The flats are arranged in two blocks in a figure of eight formation.',
 'The home will offer provision which always has a minimum of two (2) Staff during the day and one (1) waking night '
 'and one (1) sleep in during the night.',
 'The intention is to award the contract to the most economically advantageous tenderer based on 100% Price.',
 'The justification for performing CS trials is based on expert recommendation of CS technology and to understand '
 'the feasibility of the technology based on prior CS trials.',
 'The main acute hospital, London North West University Hospital Trust, was consistently subject to increasing '
 'demands for rehabilitation and acute treatment beds.rnrnSince its inception the Intermediate Care Beds has '
 'provided a route for patients who have received Acute Care from both elective and non-elective procedures or '
 'treatment.',
 'The manage of Lancing Parish Councils car parks at Widewater and Beach Green.',
 'The new CHAPs role allows healthcare professionals to work alongside nursing colleagues and take on additional '
 'responsibilities, creating a solution to the national shortage of nurses experienced across the care sector.',
 'The new contract will commence on 1st January 2023 for a period of 24 Months until 31st December 2024.',
 'The ongoing national shortage of nurses is likely to last for a number of years, therefore the CHAPs role is in '
 'response to the pressure that is being experienced in County Durham, This training course will assist by equipping '
 'staff with the skills to support the nursing staff more effectively.',
 'The primary aim of the Smoking Cessation Service is to deliver an evidence-based, accessible stop smoking service, '
 'particularly for priority groups where there is high smoking prevalence.',
 "The programme is set to deliver critical phases of Harrow's wider decarbonisation plan with the first milestone "
 'housing project to demonstrate a transition to low carbon heating, addressing fuel poverty with renewable '
 'technology integration.',
 'The programme is to equip senior staff within County Durham care homes (nursing) with clinical and management '
 'skills, it adheres to many aspects of a Registered Nursing Course.',
 'The project reference is Quote/tender 60346 - AG22022 - Short-Term Service to complete existing Orthodontic work '
 'in the Lincolnshire area to complete existing Orthodontic work in the Lincolnshire area.',
 'The project will aim to determine where saltmarsh habitats are in a state of expansion or decline and if such '
 'geomorphological information can aid the thresholds used.',
 'The project will be delivered in two stages - this element pertains only to the Training, tools and implementation '
 'support (Stage 1).',
 'The project will examine the EA Saltmarsh Extent and Zonation dataset against Sentinel-1 and Sentinel-2 imagery to '
 "assess the 'burning in' approach, alongside recently collected data from Natural England field surveyors.",
 'The purpose of the campaign is to engage with our target audiences, build awareness of our brand, and generate '
 'interest from potential funders and inward investors.',
 'The purpose of this Procurement Exercise is for the purchase of: Production workstation for digital imaging of '
 'heritage material Digital Camera for imaging of heritage material Quantity - 1.',
 'The purpose of this contract is to help facilitate thinking within Natural England and Defra about the future use '
 'of SCS by bringing together expert staff through a series of internal workshop sessions to be held during '
 'autumn/winter 2022/23.',
 'The purpose of this tender is to establish the DPS for the provision of Transport Services.',
 'The relative importance of the nutrient contribution from the birds at each site also needs to be understood.',
 'The requirement is for a contractor to design and facilitate these workshops and capture the outputs in a '
 'narrative report.',
 'The resurface and line marking of the East Carpark at Widewater Nature Reserve.',
 'The route is offline and crosses the existing A47 at three separate locations.rnrnPackage: Acoustic '
 'BarrierrnrnOutline Scope of Works:rnThe scope includes the supply and installation of Environmental Acoustic '
 'Barrier to reduce noise impact in the specified location.',
 'The school previously occupied two separate buildings located on a single site, separated by a car park, which, '
 'for simplicity have been named KS1 and KS2.',
 'The service must be provided under the supervision of a Specialist Orthodontist.',
 'The service will also include the acceptance of any dog collected into kennels at any time.',
 'The services will cover a broad a range of health and medical assessments and toxicology testing, along with a '
 'findings and recommendation report.',
 'The session will be delivered at the LGAs Fire Diversity and Inclusion Champions Network meeting on 23 November.',
 'The stock is being divided into two Lots regionally as outlined in the included stock list included in the tender '
 'pack.',
 'The study should also look at the feasibility of implementing these changes, and identify where changes, e.g.',
 "The successful Supplier will be required to provide cleaning services at St George's Academy, Sleaford, "
 'Lincolnshire, NG34 7PP.',
 'The successful Supplier will be required to provide planned preventative and maintenance services (mechanical, '
 'electrical and building fabric) for Weston College Group.',
 'The successful applicant will ensure that the Network, and associated training, are delivered in the context of '
 'the broader domestic abuse training pathway across the County, which is provided by other partnerships and '
 'professionals working in domestic abuse services.',
 'The successful artist will be able to develop and install the work within this timescale and will be required to '
 'engage with a wide range of stakeholders until September 2023.',
 'The successful bidder will be required to deliver services in accordance with all tender documents and the '
 'contract to be placed with the successful bidder.',
 'The tension between of resource security and environmental protection is a key issue for Defra.',
 'The timeline given in the RFQ will be followed to enable the project to be delivered by end of March 2023.',
 "The tool would allow a user to follow the requirement down the 'tree' to the lowest level to ensure that the "
 'engineer with the correct skill set picks up and processes the requirement.',
 'The total Family Innovation Fund is £1,200,000 over three years, £480,000 of which is allocated for the Risky '
 'Behaviours programme (RBP).',
 'The two technologies investigated are the diamond wire saw (DWS) cutting and circular saw (CS) cutting.',
 'The value provided are for guidance only and are not a guarantee of business with successful Tenderers.',
 'There are CS technology concerns that the Client is interested to understand, particularly Blade type, required '
 'sample clamping forces, required cutting forces, recommended cutting speed and rate.',
 'There may be a mixture of online and offline actions for you to perform (there is detailed online help available).',
 'There will be further provision for the value to be varied within any extension up to the original year one value '
 'namely £200,000.',
 'Therefore, UKAEA is looking at contracting a cutting technology specialist to demonstrate cutting of the work '
 'piece using both technologies in accordance with the specification.',
 'Therefore, a higher payment rate has been agreed to assist Providers in delivering the level of care this cohort '
 'of patients requires.',
 'These reports will be produced in 2025 and 2026, respectively.',
 'These strategies could potentially be used in a more ambitious way and Natural England and key stakeholders agree '
 'they must be holistic and dynamic.',
 'This Contract is for the Provision of Crowd Management & Stewarding Services - Weekend Closure of Claypath.',
 'This Extension is being undertaken in accordance with Regulation 72 (1) (b) of the Public Contracts Regulations '
 '2015.',
 'This Request For Information is seeking to gain a broad understanding of how Industry may view the current and '
 'potential replacement requirement.',
 'This allows our customers the freedom to focus resources on core activities; innovating and transforming their own '
 'organisations.',
 'This can be presented as an excel tool populated with individual lake parameters and outputs.',
 'This comes in the form of 2 print publications; the British National Formulary (BNF) and the British National '
 'Formulary for Children (BNFC).',
 'This contract award notice is to notify the market that Greater Manchester Combined Authority based in Manchester, '
 'UK have appointed Chase Services as their Protection, Security and Electrical Works provider for a period of SIX '
 'weeks, with an option to extend for a further ONE month.',
 'This contract has been awarded under the CCS G-Cloud 12 Framework Agreement.',
 'This contract will be for a period of 8 months commencing 28th November 2022 until 27th July 2023.',
 'This framework relates to the procurement of a cloud-based or on-site archive which interfaces directly with the '
 'live EPR, so clinicians can access archived clinical patient data seamlessly from within the live EPR.',
 'This includes the responsibility of the welfare of the dog as denoted by the Animal Welfare Act 2006, S3 (1)a, and '
 'shall comply with S9 of the Act for its duration.',
 'This initial work has identified that expansion is feasible.',
 'This is a 3 year contract with the option to extend for a further 1 year period (3+1).',
 'This is a start-up task for year 1 and issued as a Request for Quotation to deliver CPD accredited multi-level '
 'training to organisations in Cornwall in a tried and tested approach to provide the skills and tools to deliver '
 'this specialised support and to provide resources and interim support to children and young people identified as '
 'needing help.',
 'This is an opportunity for forward thinking residential providers to deliver sustainable town centre living, '
 'embracing new smart technologies and delivering zero carbon homes, attracting residents that want to support an '
 'eco-lifestyle, that sees a reduction in reliance on the car and promotion of active and sustainable travel.',
 'This is done by looking at the opportunities sections.',
 'This is in line with the scale of the work and any existing and subsequent Statutory guidance.',
 'This mini-competition is being conducted using Lot 1 of CCS framework agreement RM6020 Insurance and Related '
 'Services 3.',
 "This notice asks for an organisation to design and deliver 'train the trainer' style training on reducing "
 'restrictive practice for young people in acute paediatric wards.',
 'This opportunity is for the appointment of a critical minerals data subscription for International Net Zero at '
 'BEIS.',
 'This opportunity is for the loose lay waterproofing of the new bridge superstructure.',
 'This opportunity may be of interest to an existing Specialist Orthodontic practice or to a general dental practice '
 'able to secure the services of a Specialist Orthodontist.',
 'This programme should be delivered with the ambition to grow to be a staple of UK innovation response to net zero '
 'by 2050 over the next 30 years.',
 'This site is a Highways site so the Consultant will need to be experienced in working with Highways Departments to '
 'deliver environmental sensitive infrastructure improvements to highways, likely via a S278 agreement.',
 'This tender relates to the provision of community integration support and enhanced housing management, during the '
 'second and third year of Afghan refugee resettlement schemes in Herefordshire.',
 'This will be supported by clear and concise messaging, high quality content which is regularly refreshed, social '
 'media engagement and related marketing and communications activity to stimulate interest and generate enquiries.',
 'This will be transformative in speed and spatial resolution and will offer users streamlined access to enhanced '
 'instruments for life and physical sciences.rnrnThe scope of the contract is to manufacture 52 machined girder '
 'fabrications which form the support structure for the storage ring magnets and vacuum vessels.',
 'This will include both pre planned and emergency care.',
 "This will move the PQQ/ITT into your 'My PQQs/My ITTs' page (This is a secure area reserved for your projects "
 'only).',
 'This will streamline our processes around document signatures and provide us with a secure, value for money '
 'solution.',
 'To be considered as a Tenderer you must complete and submit a Tender by the deadline of 12 noon on 3th June 2024.',
 'To collaborate with TfL through SAP Ariba you must be registered on the platform, and your profile and data must '
 'be up-to-date.',
 'To help us meet the resourcing requirement for PR24, we are looking for support from a "Delivery Partner".',
 'To monitor and evaluation the Modular Acceleration Programme (MAP); MAP will accelerate the delivery of '
 'individual, stackable modules of Higher Technical Qualifications ahead of the launch of the LLE in 2025.',
 'To register your interest in this event please visit: EU-Supply on the link below and access project 60274 - '
 'Market Engagement Event: Safe Haven and Crisis Beds Services for NHS Derby & Derbyshire ICB.',
 'To undertake the project a new bridge will be constructed within the site compound adjacent to M6 motorway.',
 'To view the documentation related to this opportunity you will need to register on the portal if you are not '
 'already registered with ProContract, and express an interest in the opportunity.',
 'Trainees will be able to conduct a needs assessment in their Trust, and then carry out the required training.',
 'Training, tools and implementation support to establish the local Children Affected by Parental Imprisonment '
 'project.',
 'Undertake training analysis of staff and implement required training programme 4.',
 'United Lincolnshire Hospitals NHS Trust (the Authority) working on behalf of Lincolnshire Community Health Service '
 'NHS Trust is seeking expressions of interest from Suppliers of offsite mortuary services to support Lincolnshire '
 'Community Hospitals and The Butterfly Hospice in Boston on a free of charge basis for an agreed period of time.',
 'Upon receiving a specification from within STFC, the document (which must be readable by Microsoft Word, Microsoft '
 'Excel, or Adobe Acrobat) will be manually uploaded into the tool, which will allow users to capture, trace, '
 'analyse, and manage any changes made to information and requirements set out within the document.',
 'Using the HE Networking - Supply and Services Framework Agreement (HENSS) we wish to form a contract for the '
 'supply of the Core Network and create a call off agreement for the supply of replacement switches for a three year '
 'period.',
 'Video and still images from 86 stations will be analysed; tenderers should provide quotes outlined in Table 1: '
 'More detailed metadata will be provided and information from logs and the survey report.',
 'Video, audio and vital signs recording of medical procedure, simulation and teaching within a medical setting.',
 'We aim to develop high quality educators who are delivering the best possible supervision for trainees.',
 'We aim to help the UK become a global leader in transitioning to a net zero economy by building a coherent, '
 'supportive environment enabling people and businesses to innovate.',
 'We are actively looking for organic sourced cottons, bamboo and recycled materials preferred and supplied without '
 'plastic packaging where possible.',
 'We are looking for a single supplier to supply a Nitrogen Generation System including container system and both '
 'electrical and mechanical installation on site.',
 'We are looking for one supplier to supply an e-signature solution to support contract and contract-type '
 'documentation globally.',
 'We are seeking a Managed Service Provider who will relish the opportunity to work with us to achieve our digital '
 'ambitions to improve our service both internally and to the wider community.',
 'We are seeking an external partner to design, develop and deliver this 2 ½ year programme in partnership with '
 'Innovate UK, Innovate UK KTN and Innovate UK EDGE.',
 'We are seeking to appoint a NICEIC registered contractor to supply, install, test and configure electrical wiring '
 'at our premises in Ripon.',
 'We can support virtual visits as well if required.',
 "We don't currently know the nutrient loads from birds at SSSI lakes or how significant a source of nutrients this "
 'is.',
 'We envisage that this will aid the recruitment of postgraduate doctors and learners who are attracted to work and '
 'train in the Midlands, and will support educators to develop their skills.',
 'We face a time limited challenge to achieve net zero by 2050 and recognise the opportunity for businesses to grow '
 'to significantly impact this and offer global solutions.',
 'We have a great opportunity to shape and influence how SCS could be used for species conservation planning.',
 'We have also updated Method Statement Question 5 to reflect the correct information as per Section 16, Method '
 'Statement Questions table.',
 'We use a fiery print server for the colour device.',
 'When looking at the various nutrient inputs to lakes, bird faeces are often cited as a conspicuous source of '
 'nutrients, and a potential reason for not reaching favourable condition on SSSIs lakes that are designated for '
 'their lake-habitat interest.',
 'Where UK SBS is not named as the Contracting Authority within the documentation, UK SBS will be acting as an agent '
 'on behalf of the Contracting Authority.',
 'Winter survey of beaver field signs on the Rivers Exe, Taw and Little Dart, Devon using standard methodology (on '
 'foot and kayak).',
 "You can choose to 'Opt In' at any time during the tender process if you initially decided to 'Opt Out'.",
 "You can now access any attachments by clicking 'Buyer Attachments' in the 'PQQ/ITT Details' box.",
 "You must then submit your reply using the 'Submit Response' button at the top of the page.",
 'You will be bidding for all the schools in this cluster.']

TITLES = ['1 Year Roof Replacement Programme',
 '202223 1549 - EPR Q-Band Spectrometer with Cryogenic Free Cooling System',
 '3524.EFM.SW.22 PM Services - Chemistry NE',
 '35998 - FOSSE PRIMARY SCHOOL',
 '36047-staff booking',
 '37547 - Provision of an Automated Nucleic Acid Extraction Robot',
 '4 yr maintenance service contract for 2x Auriga Xl Laser systems',
 '708621450 - British LAIRCM In Service Support (BLISS) IV Contract Award Notice',
 'AT1299 - Provision for Children looked after',
 'Abbey Woods Academy Catering Kitchen Relocation',
 'Adult ADHD Digital Assessment and Treatment Service (Waitlist)',
 'Alarm Monitoring',
 'Analytical Testing Support RFI',
 "Appointment of consultant to the Council's homelessness service",
 'Arboricultural Service and Maintenance Contract',
 'Assessment of wild living beaver populations on the River Exe and River Taw (including Little Dart)',
 'Award Notice for Bid Support LU2F',
 'Azure Virtual Desktop - Phase 2',
 'BT221 - Orange Street, 2nd & 3rd floor refurbishment',
 'BTA1785 Accessible Tourism Industry Toolkits',
 'BTH579 Funeral Services',
 'Bradwell Boiler Replacement',
 'British Embassy in Baghdad Fuel Provision',
 'Building Retrofit & Refurbishment/Improvement Works Framework',
 'Business Case for LGR',
 'C0885 - Technical Due Diligence',
 "CA11272 - Robert May's School - Supply of School Uniform",
 'CCTV camera relocation',
 'CON300 Ixworth Thorpe, Pakenham to Bury St Edmunds - Wednesday only - AWARD',
 'CP7 Framework - Clifton Bridge - Waterproofing',
 'CPU 5314 ULEV Infrastructure',
 'CYP Mental Health Crisis Training Pathway',
 'Care Home Assistant Practitioner (CHAPs) Training',
 'Chesham Town Centre Regeneration Strategy',
 'Choose GP Marketing Campaign',
 'Cloud Connect for Webex Calling',
 'Community Led Housing Support',
 'Construction project for a new Visitor Centre in Ham Hill Country Park.',
 'Contingent Labour Bridging Contract',
 'Contract For University of Winchester - Gym Equipment Replacement',
 'Corporate e-signature solution',
 'Courier Service for Delivery of Waste Sacks to Birmingham City Council Trade Waste Customers',
 'Critical Minerals Data Subscription',
 'Curtains and Tracks Sennybridge',
 'DHSC: OHID - PHE Corporate HPV Self-Sampling Test Validation',
 'Defra Noise Modelling Service - Call-Off Contract 4',
 'Delivery Partner for Price Review 2024',
 'Demolition services Farm Road',
 'Design Lead for Russell-Cotes Art Gallery and Museum Conservation',
 'Development Control and Associated Software',
 'Domestic Abuse Independent Advocate (IDVA) and Programme of Therapeutic Response',
 'Domestic Abuse Support Service',
 'Domestic Abuse Support Services - Adults',
 'Door access and CCTV control',
 'Dynamic Purchasing System for the Provision of Transport Services',
 'ESNEFT2444 Blue Prism Robot',
 'Electronic Payment System',
 'Enabling Consultancy Services',
 'Enhance Culture and Careers Workstream',
 'Equalities & Cultural Diversity Support Service',
 'Ethnic Minority Education Support Service',
 'FM22261- Fuselage parts',
 'Family Innovation Fund (2023 - 2026) - Risky Behaviours',
 'Form C- Bedford Pumps Ltd- Holderness drain',
 'Foxes Piece School - Heating Circuit',
 'Funeral and associated services',
 'GB-Charlton Down: Fitting of Specialist Doors at Waterston Ward, Forston Clinic, Charlton Down',
 'GB-Kettering: Gestational Diabetes Monitoring Application Software',
 "GB-London: Fire Authority Member's role in driving improvement",
 'GB-London: Latimer Road Internal and External Refurbishment',
 'GB-Watford: TPPL Watford Borough Council NEPO GM & P Lot 1 - 1 x John Deere TE 4x2 Gator Utility Vehicle (New) '
 '(21624)',
 'Glazing - Glazing miscellaneous (20% VAT)',
 'HMP Channings Wood - Acoustic Panels',
 'HRE - North Cornwall Line - Virginstowe Bridge - NCL / 17',
 'Hampshire Primary Cluster 4 Catering Tender',
 'Hard Landscaping - Hard Landscaping - Parks',
 'Homes England - Cladding Safety Scheme Support',
 'Homes England - Minerva Works - Roof Repairs',
 'ICT Skill Training Licence',
 'IDS Staffing Framework',
 'ITT FOR PROJECT 10041082',
 'ITT for project 10040720',
 'ITT for project 10044417',
 'ITT for project 10046953, 10046715, 10046687, 10046587, 10046158, 10045782, 10045756, 10045576',
 'ITT for projects 10043338, 10042854',
 'Incident Response Retainer',
 'Installation of new lift at Windsor Baths Unit D - Alhambra Booking Office, Morley Street, Bradford BD7 1AQ',
 'Internal Audit Services',
 'Internal Fit Out and Maintenance',
 'Invitation to Tender to Supply a Managed Service for Christmas Lighting December 2019 - January 2024',
 'Isle of Cumbrae CRS Fit Out Works',
 'L24126-T-MC - Car Parking Consolidator Framework',
 'LC/019/P288 - On-Site Generator System',
 'LC/020/P293- Enhanced Electrical Circuitry Installation',
 'LEEDS 2022 STRATEGIC HOUSING MARKET ASSESSMENT',
 'Lancashire Victim Services - Domestic Abuse',
 'Level 6 Project Manager Integrated Degree',
 'Lift Service, Breakdown and Repair',
 'Linking Levisham Grazing Assessment',
 'Lot 1a - Up to 8 passenger seats in the Cumberland area closing 2 January 2025 (F59C)',
 'M-Block LV Switchgear Replacement at Northwick Park Hospital',
 'Manvers Street and Bath Leisure Centre Car Park Security Options',
 'Mapping expansion and degradation of Saltmarsh',
 'Martock Recreation Ground Maintenance Contract',
 'Mechanical & Electrical Capital Works (L153/232549-1HE)',
 'Mental Health Act Quality Improvement Programme',
 'Metal Handrails for Domestic Properties, Measurement, supply and fitting',
 'Microsoft Licences',
 'Mole Valley District Council - Tenancy Sustainment Service',
 'Monkton Wood Dining',
 'Mortuary Products - Medico Legal',
 'Naso-Gastric Feeding Training',
 'National Framework Agreement for Legacy Information Integration and Management',
 'Network Equipment Refresh',
 'Objective Keyplan Data Load Project',
 'On Premise & Network Hardware Break/fix',
 "Oxfordshire Domestic Abuse Champion's Network",
 'Oxfordshire Domestic Abuse Training Service',
 'P-0225 Winter Light Trail Installation Event at Heaton Park',
 'P0193R - Ward End Park Lakeside Renewal Project Summative Assessment',
 'P0917 DOLPHIN CENTRE BUILDING IMPROVEMENT WORKS - AWARD',
 'PAN3212 - Chain Hoists For DMH/HMT',
 'PF Consultancy Plus',
 'PQ0382 - Estate Agency Services for First Homes Allocation at Perry Barr Residential Scheme (PBRS)',
 'PRJ1204 Dementia Navigation Service - City & Hackney',
 'PSEW L3.1 RA Feb25 - Greater Manchester Combined Authority - awarded',
 'PSN DNS Connection',
 'Pan London Sexual Violence Support Service',
 'Parking Pilot - CEO',
 "Placements Award Notice's",
 'Ports of Jersey - Branded Clothing',
 'Power and Data Works Framework',
 'Princes Pavement, Birkenhead - New Market',
 'Programme Co-ordinator (Serious Violence Prevention Programme)',
 'Provision of Aker SAAS Software',
 'Provision of Household Below Average Income data validation survey',
 'Provision of IT & Digital Managed Services',
 'Provision of Occupational Health Physician for the University of Birmingham',
 'Provision of Training for New Clinical/Educational Supervisors',
 'Provision of half-day (or equivalent) training for existing Clinical/Educational',
 'RDE684 Negating the necessity for International Deep Sea Mining',
 'RHUL-25024 Asbestos Surveys and Testing',
 'RMBC - AM - Christmas Lights Installations - AWARD',
 'RMCB 042 - In-Service Inspection and Testing of Electrical Equipment',
 'ROSA platform software subscription and maintenance',
 'RStudio License and Support',
 'Rail Reform Positioning for West Midlands Rail Executive',
 'Recovery Houses L&SC',
 'Ref 0216/20220728: October 2022 Bus Tenders (Tranche 2)',
 'Ref 0217/20220801: October 2022 Bus Tenders (Tranche 3)',
 'Ref 235 - RBKC Council Housing - Door Entry, CCTV, Gates and Barriers Maintenance Services PPM2 2021',
 'Regent Theatre Back of House Ventilation & Cooling',
 'Repairs and Planned Works Framework',
 'Requirement Software space based scientific projects',
 'Research laboratory Equipment',
 'Ride on Mowers',
 'SLH - Legal Services Contract issues & Disputes',
 'SPS 2820 - Stray Dog Collection and Kennelling Service',
 'Salix Homes - ICT Managed Service Provider',
 'School / College Transport - SEND Schools - TAXI- DPS000119',
 'Sheffield Covid Memorial brief',
 'Short Breaks (Play & Leisure) and Domiciliary Care for Children with Disabilities - 2023-25 Spot Purchases',
 'Short-Term Service to complete existing Orthodontic work in the Lincolnshire area',
 'Soft Facilities Management Services',
 'Soft Skills Training',
 'Solar Canopy - Home Energy Transition (HET) Programme',
 "St George's Academy ~ Cleaning Services Tender",
 'Standard Network Cabling Framework',
 'Sumner House - Window Replacement',
 'Supply of Drying Space Trailer',
 'Support for Children Affected by Parental Imprisonment',
 'Surface Dressing 2025',
 'T/KJ193/22 WP16/RACE Divertor Coil Removal',
 'TD041-20 Doughty Road Depot Electrical Switchgear and Sub Mains',
 'TD2158- Office Furniture Products and Services',
 'Tackling Deadly Diseases in Africa Programme Phase II - Monitoring, Evaluation and Learning (TDDAP II MEL)',
 'Target Operating Model (TOM) Transition Support',
 'Tax compliance and advisory services',
 'Team Management Profiles',
 'Technology Provisioning for the Rosalind Franklin Laboratory',
 'Temporary and Permanent Recruitment',
 'The Development of a North West Skills Mapping Plan (Regional Skills Pilot: Cheshire West and Chester)',
 'The Seam Digital Campus Plot 1 & 2 Development',
 'Truro Town Deal - Lemon Quay Supply & Install Raised Planters',
 'UKRI-4708 - 12inch mask and wafer semiconductor processing',
 'UOW732 - Core Network Replacement - AWARD',
 'UOW835 Video, audio and vital signs recording of medical procedure, simulation and teaching - AWARD',
 'UPS Units and Design/Layout of the Devices - AWARD',
 'UWQ252 Insurance Broker - AWARD',
 'VIVID - Contract Provision For Building Security and Concierge Services at Totland Close Farnborough',
 'Video Consultation Platform',
 'WHPC00637 - CATERING PROVISION TO WALSALL PALLIATIVE CARE CENTRE',
 'WNC Print & Design Contract',
 'WP3861 - Housing First',
 'WWC Extreme Kayak Bridge',
 'Warmworks - Newcastle Sustainable Warmth Supply Chain Tender',
 'Wavertree High Street - Design',
 'Website re-design, development and maintenance',
 'Workstation, Digital camera, Software, Support',
 'World Beneath Waves Exhibition- Design & Manage ITT']
